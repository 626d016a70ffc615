from django import forms

from accounts.models import SecurityEvent
from audit.selectors import LogFilters
from casework.forms import DateInputField


class LogFilterForm(forms.Form):
    """The filters of an audit log: by person, by case, by kind of event and by date."""

    person = forms.CharField(
        label="Person", required=False, max_length=100, help_text="Part of a name or email address"
    )
    reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=16,
        help_text="For example, SR-2026-00012",
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        required=False,
        choices=[("", "Any")] + list(SecurityEvent.Kind.choices),
        error_messages={"invalid_choice": "Choose a kind of event from the list"},
    )
    start = DateInputField(label="From", help_text="The first day, for example, 1 11 2026")
    end = DateInputField(label="To", help_text="The last day, included")

    def __init__(self, query, *, fields: tuple[str, ...]):
        super().__init__(query)
        for name in set(self.fields) - set(fields):
            del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "To must be the same as or after from")
        return data

    def filters(self) -> LogFilters:
        """The valid part of what was asked for."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return LogFilters(**data)
