"""Forms parse and check the format of what people type; the services decide the rest.
Each carries the meeting's version, so a page left open while a colleague saved is refused.
Dates use the GOV.UK date input (casework.forms.DateInputField)."""

import datetime as dt
import re

from django import forms
from django.utils import timezone

from casework.forms import DateInputField, ReasonForm, VersionForm, free_text
from casework.validators import plain_text
from referrals.plans.forms import ActionForm
from safety_summits.choices import About, Format, peer_group_lines

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _text(label, *, required=False, max_length=5000, rows=5, hint=""):
    return free_text(label, max_length=max_length, required=required, rows=rows, hint=hint)


def _time(label):
    return forms.CharField(
        label=label,
        max_length=5,
        help_text="24-hour clock, for example 09:30 or 14:00.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _agenda(label, *, rows):
    field = _text(
        label,
        rows=rows,
        hint="What the meeting will cover, in order. Everyone invited can read it on the "
        "meeting's page. Never name children: use case-system identifiers or initials.",
    )
    field.error_messages["max_length"] = "The agenda must be 5000 characters or fewer"
    return field


class WhenForm(VersionForm):
    starts_on = DateInputField(label="Date of the meeting", help_text="For example, 27 3 2027")
    start_time = _time("Start time")
    end_time = _time("End time")
    format = forms.ChoiceField(
        label="Where is it held?",
        choices=Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the meeting is online or at the school"},
    )
    place = forms.CharField(
        label="Room at the school, or the link to join online",
        max_length=500,
        validators=[plain_text],
        error_messages={"required": "Enter the room at the school, or the link to join online"},
    )
    agenda = _agenda("Agenda (optional)", rows=6)

    def _clean_time(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        match = _TIME.match(value)
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
            self.add_error("starts_on", f"Enter the {self.fields['starts_on'].label.lower()}")
        tz = timezone.get_current_timezone()
        if day and data.get("start_time"):
            data["starts_at"] = dt.datetime.combine(day, data["start_time"], tzinfo=tz)
        if day and data.get("end_time"):
            data["ends_at"] = dt.datetime.combine(day, data["end_time"], tzinfo=tz)
        return data


def when_initial(record) -> dict:
    """A WhenForm's first values from a meeting or summit: its version, date and times."""
    initial = {"version": record.version}
    if record.starts_at:
        start = timezone.localtime(record.starts_at)
        initial.update(starts_on=start.date(), start_time=f"{start:%H:%M}")
    if record.ends_at:
        initial["end_time"] = f"{timezone.localtime(record.ends_at):%H:%M}"
    return initial


class RescheduleForm(WhenForm):
    reason = free_text("Why is the meeting moving?", max_length=3000, rows=3)


class AgendaForm(VersionForm):
    agenda = _agenda("Agenda", rows=10)


class CancelForm(ReasonForm):
    reason_label = "Why is the meeting cancelled?"
    reason_hint = "The invitees are told, with this reason."


class PreMeetingForm(VersionForm):
    pre_trends = _text(
        "Trends and themes affecting students",
        hint="What you are seeing: patterns of behaviour, concerns, changes over time.",
    )
    pre_peer_groups = forms.CharField(
        label="Peer groups",
        required=False,
        max_length=1000,
        validators=[plain_text, peer_group_lines],
        help_text="One group a line, by case-system identifiers or initials only, never "
        "children's names: for example “JB, KL, MT” or “Group A, Y9”.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    pre_places = _text(
        "Places and online spaces",
        hint="Where harm happens or pupils feel unsafe: in school, nearby, on the way home, "
        "and online platforms.",
    )
    pre_tried = _text("What the school has tried", hint="And what helped, and what did not.")
    pre_strengths = _text(
        "Strengths", hint="What already keeps pupils safe, that the meeting can build on."
    )


class DiscussionForm(VersionForm):
    about = forms.ChoiceField(
        label="What is this about?",
        choices=About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is about a peer group or a place"},
    )
    name = forms.CharField(
        label="The peer group (identifiers or initials only) or the place",
        max_length=100,
        validators=[plain_text],
        help_text="Never a child's name: for example “JB, KL, MT”, or “the park by the station”.",
        error_messages={"required": "Name the peer group or the place"},
    )
    concerns = _text("Concerns")
    strengths = _text("Strengths")


class MeetingActionForm(VersionForm, ActionForm):
    """An action agreed at the meeting: the case plan's action fields (it becomes one), with
    the GOV.UK date input for its due date."""

    due_on = DateInputField(label="Due date", help_text="For example, 27 3 2027")


class RecordedElsewhere(forms.Field):
    """A form field with no input of its own: it names the place on the page where a
    service's refusal about something recorded on another page is shown."""

    widget = forms.HiddenInput

    def __init__(self, *, label):
        super().__init__(label=label, required=False)

    def clean(self, value):
        return None


class HoldForm(VersionForm):
    # No inputs: the places on the page where a refusal about what is recorded on the
    # record page (peer groups and places, actions) is shown, so the error summary links
    # to them (casework.errors.show_on_form puts a problem on a field of its name).
    discussions = RecordedElsewhere(label="Peer groups and places")
    actions = RecordedElsewhere(label="Actions")
    attendees = forms.TypedMultipleChoiceField(
        label="Who attended, with an account",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They receive the safety plan when it is distributed.",
    )
    other_attendees = _text(
        "Other attendees",
        max_length=2000,
        rows=3,
        hint="Name, role and organisation of everyone else: police, the voluntary sector, "
        "youth workers.",
    )
    terms_agreed = forms.BooleanField(
        label="The attendees agreed to work under the terms of reference and the "
        "information-sharing agreement",
        required=False,
    )
    terms_version = forms.CharField(
        label="Version of the terms of reference and information-sharing agreement",
        max_length=100,
        required=False,
        validators=[plain_text],
        help_text="As it is named on the documents, for example “Version 2.1, March 2026”.",
        error_messages={"max_length": "Enter the version in 100 characters or fewer"},
    )
    terms_agreed_on = DateInputField(
        label="Date the terms were agreed",
        help_text="The day of the meeting, or the day they were agreed before it. For "
        "example, 27 3 2026",
    )
    terms_agreed_by = _text(
        "Who agreed the terms",
        max_length=2000,
        rows=3,
        hint="Names and organisations, for example “Everyone who attended” or “Lee "
        "Practitioner (Children's Social Care), Dana Lead (the school), PC Shah (police)”.",
    )
    notes = _text("Notes of the meeting", max_length=10000, rows=8)
    without_document_reason = _text(
        "Why the meeting went ahead without the school's pre-meeting document",
        max_length=2000,
        rows=3,
        hint="Only if the school did not complete it.",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["attendees"].choices = [
            (person.pk, person.get_full_name() or person.email) for person in people
        ]

    def clean_attendees(self):
        return [self.people[pk] for pk in self.cleaned_data["attendees"] if pk in self.people]
