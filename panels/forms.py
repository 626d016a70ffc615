from django import forms

from accounts.models import Team, User
from casework import pathways
from casework.forms import DateInputField, ReasonForm, VersionForm
from casework.validators import plain_text
from panels.choices import Level
from referrals.models import ThresholdIndicator


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Starts",
        help_text="For example 2026-12-01 10:00",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": "Enter when the meeting starts",
            "invalid": "Enter the start as a date and time, like 2026-12-01 10:00",
        },
    )
    ends_at = forms.DateTimeField(
        label="Ends",
        help_text="For example 2026-12-01 12:00",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": "Enter when the meeting ends",
            "invalid": "Enter the end as a date and time, like 2026-12-01 12:00",
        },
    )
    place = forms.CharField(
        label="Place or link",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Enter the place or the link to the meeting"},
    )


class AttendanceForm(VersionForm):
    attendees = forms.ModelMultipleChoiceField(
        label="Who is attending?",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    apologies = forms.ModelMultipleChoiceField(
        label="Who sent apologies?",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = User.objects.filter(panel_memberships__panel=meeting.panel).order_by("full_name")
        for name in ("attendees", "apologies"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda u: (
                f"{u.full_name}{', ' + u.job_title if u.job_title else ''}"
            )


class AmendMinutesForm(ReasonForm):
    reason_label = "Why must the approved minutes change?"
    reason_max_length = 2000
    reason_rows = 3


class AgendaReasonForm(ReasonForm):
    """Why a case is marked urgent or deferred: the agenda has no version to check."""

    reason_max_length = 2000
    reason_rows = 3
    version_required = False


class MinutesForm(VersionForm):
    actions = forms.CharField(
        label="Actions agreed",
        required=False,
        max_length=5000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One action a line: what, who, by when.",
    )


def pathway_hint() -> str:
    """Which installed pathways fit which level, in words, for the decision form."""
    fits = []
    for level in Level:
        offered = pathways.for_level(level)
        if offered:
            fits.append(f"{level.label}: {' or '.join(p.label for p in offered)}.")
        else:
            fits.append(f"{level.label}: no pathway is available in this service yet.")
    return " ".join(fits)


class DecisionForm(VersionForm):
    level = forms.ChoiceField(
        label="Threshold level",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the threshold level"},
    )
    pathway = forms.ChoiceField(
        label="Pathway",
        choices=(),  # the installed pathways (casework.pathways), set per form
        widget=forms.RadioSelect,
        error_messages={"required": "Select the pathway"},
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators the panel relied on",
        queryset=ThresholdIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=5000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the rationale for the decision"},
    )
    advice = forms.CharField(
        label="Advice to the school",
        required=False,
        max_length=5000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lead_practitioner = forms.ModelChoiceField(
        label="Lead practitioner",
        queryset=User.objects.none(),
        required=False,
        help_text="Not needed below threshold.",
    )
    lead_team = forms.ModelChoiceField(
        label="Lead team", queryset=Team.objects.none(), required=False
    )
    start_by = DateInputField(
        label="Work starts by",
        help_text="Today or later. For example, 27 3 2027",
    )

    def __init__(self, *args, referral, step=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = pathways.choices()
        self.fields["pathway"].help_text = pathway_hint()
        authority = referral.school.authority_id
        self.fields["indicators"].queryset = ThresholdIndicator.objects.filter(
            authority_id=authority, is_active=True
        )
        self.fields["indicators"].label_from_instance = lambda i: (
            f"{i.get_level_display()}: {i.text}"
        )
        self.fields["lead_team"].queryset = Team.objects.filter(
            authority_id=authority, is_front_door=False
        )
        self.fields["lead_practitioner"].queryset = (
            User.objects.filter(team_memberships__team__authority_id=authority)
            .distinct()
            .order_by("full_name")
        )
        if step:
            self.fields["change_reason"] = forms.CharField(
                label="Why is the decision stepping up or down?",
                max_length=3000,
                validators=[plain_text],
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Enter why the decision is stepping up or down"},
            )


class ConflictForm(forms.Form):
    school = forms.ModelChoiceField(
        label="School", queryset=None, error_messages={"required": "Select the school"}
    )
    reason = forms.CharField(
        label="Nature of the conflict",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Enter the nature of the conflict"},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
