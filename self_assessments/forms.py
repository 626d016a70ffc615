"""Forms parse input; the services decide. Field names match the services' problem keys so
casework.errors.show_on_form puts each refusal on its field."""

from django import forms

from casework.forms import DateInputField, ReasonForm, VersionForm
from casework.validators import plain_text
from self_assessments.models import Instrument


def _date(label, required=True):
    return DateInputField(
        label=label,
        required=required,
        required_message="Enter the date it is due",
        help_text="For example, 27 3 2027",
    )


class SectionAnswersForm(VersionForm):
    """One section's items: for each, the level (radios), the evidence methods (checkboxes)
    and a note, all optional so partial progress saves."""

    def __init__(self, *args, assessment, items, **kwargs):
        super().__init__(*args, **kwargs)
        instrument = assessment.instrument
        self.items = items
        self.instrument = instrument
        levels = [(lv["key"], lv["label"]) for lv in instrument.scale]
        methods = [(m["key"], m["label"]) for m in instrument.evidence_methods]
        for item in items:
            prefix = f"item-{item.pk}"
            self.fields[f"{prefix}-choice"] = forms.ChoiceField(
                label=item.label, choices=levels, required=False, widget=forms.RadioSelect
            )
            self.fields[f"{prefix}-evidence"] = forms.MultipleChoiceField(
                label="Evidence used",
                choices=methods,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"{prefix}-note"] = forms.CharField(
                label=instrument.note_label,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def initial_for(assessment, items, answers):
        initial = {"version": assessment.version}
        for item in items:
            answer = answers.get(item.pk)
            if answer:
                initial[f"item-{item.pk}-choice"] = answer.choice
                initial[f"item-{item.pk}-evidence"] = answer.evidence
                initial[f"item-{item.pk}-note"] = answer.note
        return initial

    def blocks(self):
        """Per item, its bound fields and the level descriptors, for the template."""
        out = []
        for item in self.items:
            prefix = f"item-{item.pk}"
            choice = self[f"{prefix}-choice"]
            chosen = str(choice.value() or "")
            levels = [
                {
                    "key": lv["key"],
                    "label": lv["label"],
                    "value": lv["value"],
                    "meaning": lv["meaning"],
                    "descriptor": item.descriptors.get(lv["key"], ""),
                    "id": f"{choice.auto_id}_{n}",
                    "checked": chosen == lv["key"],
                }
                for n, lv in enumerate(self.instrument.scale)
            ]
            out.append(
                {
                    "item": item,
                    "choice": choice,
                    "levels": levels,
                    "evidence": self[f"{prefix}-evidence"],
                    "note": self[f"{prefix}-note"],
                }
            )
        return out

    def answers(self):
        data = self.cleaned_data
        return {
            item: {
                "choice": data.get(f"item-{item.pk}-choice") or "",
                "evidence": data.get(f"item-{item.pk}-evidence") or [],
                "note": data.get(f"item-{item.pk}-note") or "",
            }
            for item in self.items
        }


class PartnershipStartForm(forms.Form):
    authority = forms.ModelChoiceField(
        label="Which partnership?",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the partnership"},
    )
    instrument = forms.ModelChoiceField(
        label="Which audit?",
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose which audit to complete"},
    )
    title = forms.CharField(
        label="Name of this audit (optional)",
        required=False,
        max_length=150,
        validators=[plain_text],
        help_text="For example: Spring 2026 partnership audit. Left blank, it is named for "
        "the partnership, the audit and the month.",
    )

    def __init__(self, *args, authorities, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["instrument"].queryset = Instrument.objects.filter(
            pk__in=[i.pk for i in instruments]
        )
        self.fields["instrument"].label_from_instance = lambda i: (
            f"{i.name} (version {i.version}), {i.publisher}"
        )


class ActionFieldsMixin:
    @staticmethod
    def owner_field(owners, required=False):
        field = forms.ModelChoiceField(
            label="Owner",
            queryset=owners,
            required=required,
            empty_label="Choose a person, or name a contact below",
        )
        field.label_from_instance = lambda u: (
            f"{u.full_name}{', ' + u.job_title if u.job_title else ''}"
        )
        return field


class GapActionForm(ActionFieldsMixin, forms.Form):
    what = forms.CharField(
        label="What will be done",
        max_length=300,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner_contact = forms.CharField(
        label="Or a named contact",
        required=False,
        max_length=200,
        validators=[plain_text],
        help_text="Someone at an agency or the school who does not use this service: name, "
        "role and organisation.",
    )
    due_on = _date("Due date")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = self.owner_field(owners)
        self.order_fields(["what", "owner", "owner_contact", "due_on"])


class ReviewForm(ActionFieldsMixin, VersionForm):
    """The practitioner's review: a note, and for each gap whether it becomes a plan action
    (with what, owner and due date)."""

    note = forms.CharField(
        label="What the review with the school found",
        max_length=5000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Whether the scores and evidence stand, what the school and you agreed.",
        error_messages={"required": "Enter what the review found"},
    )

    def __init__(self, *args, gaps, owners, taken, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = [g for g in gaps if g.item.pk not in taken]
        for gap in self.gaps:
            prefix = f"gap-{gap.item.pk}-"
            self.fields[f"{prefix}add"] = forms.BooleanField(
                label=f"Add an action for {gap.item.label} to the case plan", required=False
            )
            self.fields[f"{prefix}what"] = forms.CharField(
                label="What will be done",
                required=False,
                max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{prefix}owner"] = self.owner_field(owners)
            self.fields[f"{prefix}owner_contact"] = forms.CharField(
                label="Or a named contact", required=False, max_length=200
            )
            self.fields[f"{prefix}due_on"] = _date("Due date", required=False)

    def gap_blocks(self):
        return [
            {
                "gap": gap,
                **{
                    name: self[f"gap-{gap.item.pk}-{name}"]
                    for name in ("add", "what", "owner", "owner_contact", "due_on")
                },
            }
            for gap in self.gaps
        ]

    def actions(self):
        data = self.cleaned_data
        chosen = []
        for gap in self.gaps:
            prefix = f"gap-{gap.item.pk}-"
            if data.get(f"{prefix}add"):
                chosen.append(
                    {
                        "item": gap.item,
                        "what": data.get(f"{prefix}what") or "",
                        "owner": data.get(f"{prefix}owner"),
                        "owner_contact": data.get(f"{prefix}owner_contact") or "",
                        "due_on": data.get(f"{prefix}due_on"),
                    }
                )
        return chosen


class CloseAuditForm(ReasonForm):
    reason_label = "Why is the audit closing?"
    reason_max_length = 2000
    reason_rows = 3


class CompleteActionForm(VersionForm):
    note = forms.CharField(
        label="What was done, and its impact",
        max_length=3000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was done"},
    )
