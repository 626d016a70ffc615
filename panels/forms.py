import datetime as dt
import re

from django import forms
from django.utils import timezone

from accounts.models import Team, User
from accounts.school_search import SchoolSearchField
from casework import pathways
from casework.forms import DateInputField, ReasonForm, VersionForm
from casework.validators import plain_text
from panels.choices import Level
from referrals.models import ThresholdIndicator

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _time(label):
    return forms.CharField(
        label=label,
        max_length=5,
        help_text="24-hour clock, for example 09:30 or 14:00.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class MeetingForm(forms.Form):
    """When and where: the date on the GOV.UK date input, the times as text. Whether the
    date is in the future is the service's call (panels.services), shown at the field."""

    starts_on = DateInputField(label="Date of the meeting", help_text="For example, 27 3 2027")
    start_time = _time("Start time")
    end_time = _time("End time")
    place = forms.CharField(
        label="Place or link",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Enter the place or the link to the meeting"},
    )

    def _clean_time(self, name):
        match = _TIME.match((self.cleaned_data.get(name) or "").strip())
        if not match:
            raise forms.ValidationError(f"Enter the {name.replace('_', ' ')} like 09:30")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def clean_start_time(self):
        return self._clean_time("start_time")

    def clean_end_time(self):
        return self._clean_time("end_time")

    def clean(self):
        data = super().clean()
        day = data.get("starts_on")
        if day is None and "starts_on" not in self.errors:
            self.add_error("starts_on", "Enter the date of the meeting")
        tz = timezone.get_current_timezone()
        if day and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = dt.datetime.combine(day, data["start_time"], tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(day, data["end_time"], tzinfo=tz)
        return data

    def when(self) -> dict:
        """What the services take: starts_at, ends_at and place."""
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "ends_at": data["ends_at"], "place": data["place"]}


def meeting_initial(meeting) -> dict:
    start = timezone.localtime(meeting.starts_at)
    return {
        "version": meeting.version,
        "starts_on": start.date(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{timezone.localtime(meeting.ends_at):%H:%M}",
        "place": meeting.place,
    }


class RescheduleForm(MeetingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is the meeting moving?",
        required=False,  # the service says it is missing, with the date's problems
        help_text="The panel's members are told, with this reason.",
        max_length=3000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the meeting is moving"},
    )


class CancelForm(ReasonForm):
    reason_label = "Why is the meeting cancelled?"
    reason_hint = (
        "The panel's members are told, with this reason. Referrals waiting for the panel go "
        "to its next meeting."
    )
    reason_max_length = 3000
    reason_rows = 3


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
    """The school by name or URN (resolved on the server, or picked from the autocomplete),
    of the schools `schools` offers only: never a select of every school."""

    school = SchoolSearchField(
        label="School", error_messages={"required": "Enter the school's name or URN"}
    )
    reason = forms.CharField(
        label="Nature of the conflict",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Enter the nature of the conflict"},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].schools = schools
