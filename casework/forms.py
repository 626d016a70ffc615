"""The forms and fields every case page shares (free text, the version, a reason, the one
GOV.UK date input). They parse input only; the services hold the rules
(which reasons are required, how long a stored reason may be)."""

import datetime as dt

from django import forms
from django.forms.boundfield import BoundField

from casework.lists import WORK_SHOW
from casework.validators import LATEST_DATE, plain_text


def free_text(
    label: str,
    *,
    max_length: int = 3000,
    required: bool = True,
    rows: int = 5,
    hint: str = "",
    message: str | None = None,
) -> forms.CharField:
    """A free-text answer: plain text only (casework.validators.plain_text), a textarea,
    and messages that name the question."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label.rstrip('?')} must be {max_length} characters or fewer "
            "(you have %(show_value)d)",
        },
    )


class VersionForm(forms.Form):
    """A change to a record the person loaded: the version they saw, so a stale page is told
    (casework.runner.locked) instead of overwriting someone else's change."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    """A change that needs a reason. A use sets the label, hint, length and rows, as class
    attributes of a subclass or as arguments."""

    reason_label = "Reason"
    reason_hint = ""
    reason_max_length = 3000
    reason_rows = 5
    reason_required = True  # False where the service says what is missing, in its words
    version_required = True  # False for a change to something with no version (an agenda)

    reason = forms.CharField()  # replaced per form by __init__

    def __init__(self, *args, reason_label=None, reason_hint=None, max_length=None, **kwargs):
        super().__init__(*args, **kwargs)
        label = reason_label or self.reason_label
        limit = max_length or self.reason_max_length
        self.fields["version"].required = self.version_required
        self.fields["reason"] = free_text(
            label,
            max_length=limit,
            required=self.reason_required,
            rows=self.reason_rows,
            hint=self.reason_hint if reason_hint is None else reason_hint,
            message="Enter a reason" if label == "Reason" else None,
        )


# --- the one date input ----------------------------------------------------------------

EARLIEST_DATE = dt.date(1900, 1, 1)


class DateBoundField(BoundField):
    """Gives the template the three parts of a GOV.UK date input, with their values."""

    @property
    def parts(self):
        value = self.value()
        if isinstance(value, dt.date):
            value = [value.day, value.month, value.year]
        elif isinstance(value, str):  # an ISO date given as initial data
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                value = None
            else:
                value = [day.day, day.month, day.year]
        value = list(value or ["", "", ""])
        names = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]
        return [
            {
                # The day input carries the field's id, so the error summary links to it.
                "id": self.auto_id if part == "day" else f"{self.auto_id}-{part}",
                "name": f"{self.html_name}_{part}",
                "label": label,
                "width": width,
                "value": "" if value[n] is None else value[n],
            }
            for n, (part, label, width) in enumerate(names)
        ]


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year (the GOV.UK date input pattern), the one way
    every date is entered (templates/includes/date_input.html; includes/field.html uses it
    for this field). It parses only: a real date, from 1900 to 2100. Empty is allowed unless
    `required`; whether a date may be in the past is the service's call."""

    widget = forms.MultiWidget(
        widgets={"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}
    )

    def __init__(self, *, label, required=False, required_message=None, **kwargs):
        part = {"required": False}
        super().__init__(
            fields=[forms.CharField(**part), forms.CharField(**part), forms.CharField(**part)],
            require_all_fields=False,
            required=required,
            label=label,
            error_messages={"required": required_message or f"Enter the {label.lower()}"},
            **kwargs,
        )

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def compress(self, data_list):
        day, month, year = ((p or "").strip() for p in (list(data_list) + ["", "", ""])[:3])
        if not (day or month or year):
            return None
        label = self.label
        parts = {"day": day, "month": month, "year": year}
        missing = [name for name, value in parts.items() if not value]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and a '.join(missing)}")
        real = f"{label} must be a real date, like 27 3 2027"
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(real)
        if int(year) > LATEST_DATE.year:
            raise forms.ValidationError(
                f"{label} must be no later than {LATEST_DATE:%-d %B %Y}", code="too_late"
            )
        if int(year) < EARLIEST_DATE.year:
            raise forms.ValidationError(f"{label} must be in {EARLIEST_DATE.year} or later")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(real) from exc


class ShowFilterForm(forms.Form):
    """A list's one "Show" filter: a subclass names its views ({value: label}), the default
    and the message for a value it does not know, which is an error at the field (in the
    error summary) while the list shows its default view."""

    views: dict[str, str] = {}
    default = ""
    message = "Choose what to show from the list"

    show = forms.ChoiceField(label="Show", required=False, widget=forms.RadioSelect)

    def __init__(self, query):
        data = query.copy()
        data.setdefault("show", self.default)
        super().__init__(data)
        self.fields["show"].choices = list(self.views.items())
        self.fields["show"].error_messages["invalid_choice"] = self.message

    def show_value(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("show") or self.default


class WorkShowForm(ShowFilterForm):
    """A pathway list's filter (casework.lists.WORK_SHOW): open work by default."""

    views = WORK_SHOW
    default = "open"
    message = "Choose open, ended or all"
