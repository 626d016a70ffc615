"""Forms of the plan pages. They parse input only; the rules live in plan_services."""

from django import forms

from casework.forms import DateInputField, ReasonForm, ShowFilterForm, VersionForm, free_text
from casework.validators import plain_text
from referrals.plans.models import ReviewDecision
from referrals.plans.selectors import MY_ACTIONS_SHOW
from referrals.plans.services import OUTCOME_QUESTIONS


def _text(label, *, required=True, max_length=3000, rows=4, hint="", message=None):
    return free_text(
        label, max_length=max_length, required=required, rows=rows, hint=hint, message=message
    )


def _date(label, hint="For example, 27 3 2027"):
    return DateInputField(label=label, help_text=hint, required=True)


class AimsForm(VersionForm):
    aims = _text(
        "What the plan is for",
        hint="What will be safer, for whom, and how you will know.",
        max_length=3000,
    )


class ActionForm(forms.Form):
    what = forms.CharField(
        label="What will be done",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Say what will be done"},
    )
    why = forms.CharField(
        label="Why: the finding or concern it answers",
        max_length=300,
        validators=[plain_text],
        error_messages={"required": "Say which finding or concern it answers"},
    )
    owner = forms.TypedChoiceField(
        label="Who owns it",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The person who will do it and be reminded. Leave empty to name a contact "
        "who does not use this service.",
    )
    owner_contact = forms.CharField(
        label="Or a named contact (name, role and organisation)",
        required=False,
        max_length=200,
        validators=[plain_text],
    )
    due_on = _date("Due date")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {person.pk: person for person, _ in owners}
        self.fields["owner"].choices = [("", "Choose a person")] + [
            (person.pk, label) for person, label in owners
        ]

    def clean_owner(self):
        value = self.cleaned_data["owner"]
        return self.owners.get(value) if value else None


class AgreeForm(VersionForm):
    agreed_with = _text(
        "Who agreed the plan",
        rows=3,
        max_length=1000,
        hint="The people and agencies who agreed it, for example the DSL, the head teacher, "
        "the police schools officer and the lead practitioner.",
    )


class ReviewForm(VersionForm):
    young_people_say = _text(
        "What young people now say about safety",
        max_length=5000,
        hint="In their words where you can: where they feel safe and unsafe now.",
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the review's decision"},
    )
    reason = _text("Reasons for the decision")

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_fields = []
        for action in actions:
            name = f"progress_{action.pk}"
            self.fields[name] = _text(
                f"Progress: {action.what}", required=False, rows=2, max_length=2000
            )
            self.action_fields.append(name)

    def progress(self):
        return {
            int(name.split("_", 1)[1]): self.cleaned_data.get(name, "")
            for name in self.action_fields
        }


class CloseForm(VersionForm):
    def __init__(self, *args, open_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "what_changed": "What changed for young people at the school",
            "young_people_told": "How young people were told",
            "parents_told": "How parents were told",
            "school_community_told": "How the school community was told",
            "sustaining_safety": "How safety will be sustained",
        }
        for name, message in OUTCOME_QUESTIONS.items():
            self.fields[name] = _text(labels[name], message=message)
        self.action_fields = []
        for action in open_actions:
            name = f"close_{action.pk}"
            self.fields[name] = _text(
                f"Why “{action.what}” closes without being done",
                required=False,
                rows=2,
                max_length=1000,
            )
            self.action_fields.append(name)

    def outcomes(self):
        return {name: self.cleaned_data.get(name, "") for name in OUTCOME_QUESTIONS}

    def closing_reasons(self):
        return {
            int(name.split("_", 1)[1]): self.cleaned_data.get(name, "")
            for name in self.action_fields
        }


class ProgressForm(VersionForm):
    note = _text("Progress note", rows=3, max_length=2000, message="Write the progress note")
    evidence_of_impact = _text("Evidence of impact so far", required=False, rows=3, max_length=3000)


class DoneForm(VersionForm):
    evidence_of_impact = _text(
        "Evidence of impact",
        rows=3,
        hint="What difference it made, and how you know.",
        message="Say what difference it made (the evidence of impact)",
    )
    note = _text("Anything else to note", required=False, rows=2, max_length=2000)


class CloseActionForm(ReasonForm):
    reason_label = "Why it closes without being done"
    reason_max_length = 1000
    reason_rows = 3


class RescheduleForm(VersionForm):
    due_on = _date("New due date")
    reason = _text("Why the date moves", rows=2, max_length=1000)


class MyActionsFilterForm(ShowFilterForm):
    """My actions' one filter: open actions by default."""

    views = MY_ACTIONS_SHOW
    default = "open"
    message = "Choose open, done or closed, or all"
