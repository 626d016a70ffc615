"""Filters of the inbox and the deadlines lists, from the query string. A value a list does
not know is an error on its field (in the error summary) and that filter is not applied:
never a failure."""

from django import forms

from notifications.catalogue import default_rows
from notifications.inbox import KIND_CHOICES
from notifications.selectors import DeadlineFilters


class InboxFilterForm(forms.Form):
    SHOW = [("all", "All messages"), ("unread", "Unread only")]

    show = forms.ChoiceField(
        label="Show",
        choices=SHOW,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose all messages or unread only"},
    )
    kind = forms.ChoiceField(
        label="Kind of message",
        choices=[("", "Any kind")] + KIND_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a kind of message from the list"},
    )

    def __init__(self, query):
        data = query.copy()
        data.setdefault("show", "all")
        super().__init__(data)

    def filters(self) -> dict:
        """The valid part of what was asked for."""
        self.is_valid()
        data = self.cleaned_data
        return {"unread_only": data.get("show") == "unread", "kind": data.get("kind") or ""}


def _clock_choices() -> list[tuple[str, str]]:
    """The catalogue's clocks by key (an authority may rename one; its key stays), read
    from the bundled file, so the form costs no query."""
    return [("", "Any deadline")] + sorted(
        ((row["key"], row["name"]) for row in default_rows()), key=lambda c: c[1]
    )


class DeadlineFilterForm(forms.Form):
    """A deadlines list's filters, from the query string (the referral list's pattern: a
    value the list does not know is an error at its field, and only the valid filters
    apply)."""

    SHOW = [("running", "Running"), ("met", "Met"), ("cancelled", "Stopped"), ("all", "All")]
    RAG = [("red", "Red: overdue"), ("amber", "Amber: due soon"), ("green", "Green: on track")]

    show = forms.ChoiceField(
        label="Deadlines",
        choices=SHOW,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose running, met, stopped or all"},
    )
    rag = forms.MultipleChoiceField(
        label="RAG status",
        choices=RAG,
        required=False,
        help_text="Of running deadlines",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "There is no RAG status called “%(value)s”"},
    )
    clock = forms.ChoiceField(
        label="Kind of deadline",
        required=False,
        error_messages={"invalid_choice": "Choose a kind of deadline from the list"},
    )

    def __init__(self, query):
        data = query.copy()
        data.setdefault("show", "running")  # the default view: the clocks still running
        super().__init__(data)
        self.fields["clock"].choices = _clock_choices()

    def filters(self) -> DeadlineFilters:
        """The valid part of what was asked for."""
        self.is_valid()
        data = self.cleaned_data
        return DeadlineFilters(
            show=data.get("show") or "running",
            rags=tuple(data.get("rag") or ()),
            clock=data.get("clock") or "",
        )
