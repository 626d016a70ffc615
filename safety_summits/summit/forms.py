"""Forms of the summit's pages: they parse and check the format of what people type; the
services decide the rest. Each carries the summit's version, so a page left open while a
colleague saved is refused. Dates use the GOV.UK date input; counts are whole numbers, never
names."""

from django import forms

from casework.forms import DateInputField, ReasonForm, VersionForm, free_text
from casework.validators import plain_text
from referrals.choices import YEAR_GROUPS, year_groups_for
from referrals.plans.forms import ActionForm
from safety_summits.forms import RecordedElsewhere, WhenForm
from safety_summits.summit.choices import Activity, Agency, PlaceKind, Question


def _count(label):
    """A number of young people: a whole number from 0, never a name."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=5000,
        error_messages={
            "invalid": f"{label}: enter a whole number, like 3",
            "min_value": f"{label}: enter 0 or more (numbers cannot be negative)",
            "max_value": f"{label}: enter 5000 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "min": 0}),
    )


class _SchoolChoice(forms.TypedChoiceField):
    """One of the summit's invited schools (the view passes them)."""

    def __init__(self, label="School or college", required=True, **kwargs):
        super().__init__(
            label=label,
            coerce=int,
            required=required,
            empty_value=None,
            error_messages={"required": "Choose the school or college"},
            **kwargs,
        )


class _WithSchools:
    school_field = "school"

    def set_schools(self, schools, *, blank=None):
        self.schools = {school.pk: school for school in schools}
        choices = [(school.pk, school.name) for school in schools]
        field = self.fields[self.school_field]
        field.choices = ([("", blank)] if blank else []) + choices

    def clean_school(self):
        value = self.cleaned_data.get(self.school_field)
        return self.schools.get(value) if value else None


class PlanningForm(VersionForm):
    activities = forms.MultipleChoiceField(
        label="Which activities will young people do?",
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Choose activities from the list"},
    )
    young_people_invited = free_text(
        "How young people are invited",
        required=False,
        rows=3,
        hint="Which year groups, how many from each school, how they hear about it.",
    )
    inclusion = free_text(
        "How it is made inclusive",
        required=False,
        rows=3,
        hint="For young people with SEND, who speak other languages, or who find groups hard.",
    )


class SchoolSearchForm(VersionForm):
    query = forms.CharField(
        label="Invite a school or college",
        max_length=200,
        help_text="Enter its name or URN: schools of this local authority only.",
        error_messages={"required": "Enter the name or URN of a school or college"},
    )
    school = forms.TypedChoiceField(
        label="Which school or college?", coerce=int, required=False, widget=forms.RadioSelect
    )


class InviteeForm(VersionForm):
    user = forms.TypedChoiceField(
        label="A person who uses this service",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="They are told when the summit is scheduled, moved or cancelled.",
    )
    name = forms.CharField(
        label="Or the name of someone who does not",
        max_length=200,
        required=False,
        validators=[plain_text],
        help_text="You send them the calendar file.",
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Choose an agency"), *Agency.choices],
        error_messages={"required": "Select the agency"},
    )
    organisation = forms.CharField(
        label="Organisation and role (optional)",
        max_length=200,
        required=False,
        validators=[plain_text],
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["user"].choices = [("", "Choose a person")] + [
            (person.pk, person.get_full_name() or person.email) for person in people
        ]

    def clean_user(self):
        value = self.cleaned_data["user"]
        return self.people.get(value) if value else None


class SummitWhenForm(_WithSchools, WhenForm):
    school_field = "host_school"
    starts_on = DateInputField(label="Date of the summit", help_text="For example, 27 3 2027")
    format = None  # a summit is held in a place, never online
    place = forms.CharField(
        label="Where is it held?",
        max_length=500,
        validators=[plain_text],
        help_text="The room or hall, and the address if it is not at the host school.",
        error_messages={"required": "Enter where the summit is held"},
    )
    host_school = _SchoolChoice(label="Host school")

    def clean_host_school(self):
        return self.clean_school()


class SummitRescheduleForm(SummitWhenForm):
    reason = free_text("Why is the summit moving?", max_length=3000, rows=3)


class SummitCancelForm(ReasonForm):
    reason_label = "Why is the summit cancelled?"
    reason_hint = "The invited schools and practitioners are told, with this reason."


class TurnoutForm(_WithSchools, VersionForm):
    """How many young people of one school took part: numbers only."""

    school = _SchoolChoice()
    pupils_female = _count("Girls")
    pupils_male = _count("Boys")
    pupils_other_gender = _count("Another gender")
    pupils_gender_not_known = _count("Gender not known")
    pupils_send = _count("Young people with special educational needs or disabilities (SEND)")

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools, blank="Choose a school or college")
        offered = set()
        for school in schools:
            offered |= {key for key, _ in year_groups_for(school.phase)}
        self.year_groups = [(k, label) for k, label in YEAR_GROUPS if k in offered]
        for key, label in self.year_groups:
            self.fields[f"year_{key}"] = _count(label)

    def year_fields(self):
        return [self[f"year_{key}"] for key, _ in self.year_groups]

    def gender_fields(self):
        return [self[n] for n in ("pupils_female", "pupils_male", "pupils_other_gender")] + [
            self["pupils_gender_not_known"]
        ]

    def clean(self):
        data = super().clean()
        data["pupils_by_year"] = {
            key: data[f"year_{key}"] for key, _ in self.year_groups if data.get(f"year_{key}")
        }
        return data

    def counts(self):
        data = self.cleaned_data
        return {
            "pupils_by_year": data["pupils_by_year"],
            **{
                name: data.get(name)
                for name in (
                    "pupils_female",
                    "pupils_male",
                    "pupils_other_gender",
                    "pupils_gender_not_known",
                    "pupils_send",
                )
            },
        }


class PlaceForm(_WithSchools, VersionForm):
    school = _SchoolChoice(help_text="Whose young people marked it.")
    kind = forms.ChoiceField(
        label="What kind of place is it?",
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of place it is"},
    )
    name = forms.CharField(
        label="The place, space or platform",
        max_length=200,
        validators=[plain_text],
        help_text="For example “the top corridor”, “the bus station”, or an app's name.",
        error_messages={"required": "Name the place, space or platform"},
    )
    safe_count = _count("How many marked it safe")
    unsafe_count = _count("How many marked it unsafe")
    suggestions = free_text(
        "Their suggestions to make it safer", required=False, rows=3, max_length=3000
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools, blank="Choose a school or college")


class VoiceForm(_WithSchools, VersionForm):
    school = _SchoolChoice(help_text="Whose young people said it.")
    question = forms.ChoiceField(
        label="What were they asked?",
        choices=Question.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the question"},
    )
    said = free_text(
        "What they said",
        rows=4,
        hint="In their words where you can. Never write who said it.",
        message="Enter what young people said",
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools, blank="Choose a school or college")


class SummitActionForm(_WithSchools, VersionForm, ActionForm):
    """A next step: the case plan's action fields (it becomes one), the GOV.UK date input,
    and the school it is for, if only one."""

    due_on = DateInputField(label="Due date", help_text="For example, 27 3 2027")
    school = _SchoolChoice(label="For which school (optional)", required=False)

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools, blank="Every school at the summit")


class SummitHoldForm(VersionForm):
    # Where a refusal about the record of the day (made on the record page) is shown, so
    # the error summary links to it (as the partnership meeting's HoldForm).
    turnouts = RecordedElsewhere(label="Young people counted")
    places = RecordedElsewhere(label="The safety map and what young people said")
    actions = RecordedElsewhere(label="Next steps")
    attended = forms.TypedMultipleChoiceField(
        label="Which invited practitioners came?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = free_text(
        "Other practitioners who came",
        required=False,
        max_length=2000,
        rows=3,
        hint="Name and agency of each.",
    )
    notes = free_text("Notes of the day", required=False, max_length=10000, rows=6)

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(i.pk, str(i)) for i in invitees]


class ResponseForm(_WithSchools, VersionForm):
    you_said = forms.CharField(
        label="You said: what young people raised",
        max_length=500,
        validators=[plain_text],
        error_messages={"required": "Enter what young people said"},
    )
    school = _SchoolChoice(label="From which school (optional)", required=False)
    we_did = free_text("We did: what was done", required=False, rows=3)
    done_on = DateInputField(label="When it was done", help_text="For example, 27 3 2027")
    told_on = DateInputField(
        label="When young people were told", help_text="For example, 27 3 2027"
    )
    how_told = forms.CharField(
        label="How they were told",
        max_length=300,
        required=False,
        validators=[plain_text],
        help_text="An assembly, a letter, the school council.",
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_schools(schools, blank="Every school at the summit")


class ReferBackForm(ReasonForm):
    reason_label = "What did the summit show about the school?"
    reason_hint = (
        "The significant concern of harm outside the home that makes a School Assessment the "
        "right response. The panel's members read this."
    )
