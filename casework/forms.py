"""The two forms every case page shares. They parse input only; the services hold the rules
(which reasons are required, how long a stored reason may be)."""

from django import forms

from casework.validators import plain_text


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
