"""Forms for risk assessments: they parse and check the format of what people type; the
services in referrals.risks.services decide what is complete and who may act. Wording from
the DfE advice on sexual violence and sexual harassment between children, paras 58-82."""

from django import forms

from casework.forms import DateBoundField as DateBoundField  # re-exported: the date input
from casework.forms import DateInputField as DateInputField  # lives in casework.forms
from casework.forms import ReasonForm, VersionForm, free_text
from referrals.risks.models import Measure, RiskLevel


def _text(label, max_length, *, help_text="", rows=5):
    """Free text, never required here: the services say which answers are needed."""
    return free_text(label, max_length=max_length, required=False, rows=rows, hint=help_text)


def _measures(label, help_text):
    return forms.MultipleChoiceField(
        label=label,
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose measures from the list"},
    )


def _level(label, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=RiskLevel.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose a risk level from the list"},
    )


class ConsiderForm(forms.Form):
    """For harm other than sexual violence: is a risk assessment needed here, and why."""

    needed = forms.TypedChoiceField(
        label="Is a risk assessment needed?",
        choices=[("yes", "Yes, start a risk assessment"), ("no", "No, not needed")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For harm other than sexual violence the need is considered case by case "
        "(DfE advice, para 58). Either way the decision and its reason are recorded.",
        error_messages={"required": "Select whether a risk assessment is needed"},
    )
    reason = _text(
        "Why?",
        3000,
        help_text="What you considered: the harm reported, who is affected, where and when "
        "it happens, and what is already in place.",
    )


class CompleteForm(VersionForm):
    """The risk and needs assessment (paras 58-60 and 77-80)."""

    victim = _text(
        "The victim: their protection, support, needs and wishes",
        3000,
        help_text="How they will be protected and supported, and what they want to happen.",
    )
    other_victims = _text(
        "Other possible victims",
        3000,
        help_text="Anyone else who may have been harmed, or may be at risk, including "
        "witnesses (para 77).",
    )
    alleged_perpetrators = _text(
        "The alleged perpetrator or perpetrators",
        3000,
        help_text="The risk they may pose, the support they need, and any changes to their "
        "classes or timetable (para 67).",
    )
    others = _text(
        "Other children and staff",
        3000,
        help_text="All the other children (and, if appropriate, staff), especially actions "
        "that are appropriate to protect them; watch for children taking sides (para 78).",
    )
    time_and_place = _text(
        "The time and place of the incident",
        3000,
        help_text="When and where it happened, for example a corridor at lunchtime, the bus "
        "home, or online.",
        rows=3,
    )
    place_safety = _text(
        "How that place can be made safer",
        3000,
        help_text="What will change there: supervision, CCTV, routes, the timetable, online "
        "settings.",
        rows=3,
    )
    measures = _measures(
        "Which measures are in place?",
        "Select all that apply. School transport and social media are likely places of "
        "further harm (paras 79 and 80).",
    )
    measures_detail = _text(
        "The measures in detail",
        3000,
        help_text="Who does what, from when. Describe any other measure here.",
    )
    professional_assessments = _text(
        "Professional assessments that inform this one",
        3000,
        help_text="For example a social care assessment, a police view or a specialist "
        "harmful sexual behaviour assessment. This assessment does not replace them "
        "(para 60).",
        rows=3,
    )
    risk_level = _level("What is the risk level?")
    risk_reasons = _text("Reasons for the risk level", 3000, rows=4)
    review_on = DateInputField(
        label="Next review date",
        help_text="Risk assessments are kept under review (para 59). For example, 27 3 2027",
    )

    @classmethod
    def initial_for(cls, assessment):
        initial = {name: getattr(assessment, name) for name in cls.base_fields}
        initial["measures"] = list(assessment.measures or [])
        return initial

    def values(self):
        """The answers, as risk_services.risk_complete takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ReviewForm(VersionForm):
    """A review: what changed, what young people say, the level and measures now."""

    what_changed = _text(
        "What has changed since the last review?",
        3000,
        help_text="New incidents or reports, how the measures are working, what professional "
        "assessments now say.",
    )
    young_people_say = _text(
        "What do the young people involved say?",
        3000,
        help_text="The victim's and others' views about how safe they feel, in their words "
        "where you can.",
    )
    risk_level = _level("What is the risk level now?")
    measures = _measures("Which measures are in place now?", "Select all that apply.")
    next_review_on = DateInputField(label="Next review date", help_text="For example, 27 3 2027")

    @classmethod
    def initial_for(cls, assessment):
        return {
            "version": assessment.version,
            "risk_level": assessment.risk_level,
            "measures": list(assessment.measures or []),
        }


class CloseForm(ReasonForm):
    reason_label = "Why can this risk assessment close?"
    reason_hint = (
        "For example: the risk has reduced and the measures are no longer needed, "
        "or the children involved have left the school."
    )
    reason_required = False  # risk_close says what is missing, in its words
