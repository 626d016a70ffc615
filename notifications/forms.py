"""The inbox's filters, from the query string. A value the inbox does not know is an error
on its field (in the error summary) and that filter is not applied: never a failure."""

from django import forms

from notifications.inbox import KIND_CHOICES


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
