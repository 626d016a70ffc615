"""Forms parse and check what people type; the services do the rest. Every form carries the
assessment's version, so a page left open while a colleague saved is refused, not lost."""

from django import forms

from casework.forms import DateInputField, VersionForm, free_text
from casework.validators import plain_text
from school_assessments.choices import DOMAIN_QUESTIONS, Domain, Feeling, Judgement, MethodKind


def _text(label, max_length=5000, *, help_text="", rows=6, required=False):
    return free_text(label, max_length=max_length, required=required, rows=rows, hint=help_text)


class DomainForm(VersionForm):
    strengths = _text(
        "Strengths",
        help_text="What already helps keep pupils safe here, that the school can build on.",
    )
    concerns = _text(
        "Concerns",
        help_text="What makes harm more likely, or gets in the way of pupils being safe.",
    )
    evidence = _text(
        "Evidence",
        help_text="What this is based on: which focus groups, reviews, survey results or "
        "observations, and what they showed. Do not name children.",
    )
    judgement = forms.ChoiceField(
        label="Judgement",
        choices=Judgement.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Agreed with the school where you can.",
    )

    def __init__(self, *args, domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain = Domain(domain)
        self.question = DOMAIN_QUESTIONS[self.domain]

    @classmethod
    def initial_for(cls, assessment, row):
        initial = {"version": assessment.version}
        if row is not None:
            initial.update(
                strengths=row.strengths,
                concerns=row.concerns,
                evidence=row.evidence,
                judgement=row.judgement,
            )
        return initial


class VoiceForm(VersionForm):
    young_people_said = _text(
        "What young people said",
        rows=8,
        help_text="In their words where you can: where and when they feel safe or unsafe, who "
        "they trust, and what they think would help. Do not name children.",
    )


class InvolvementForm(VersionForm):
    involvement = _text(
        "How young people and parents or carers were involved",
        rows=6,
        help_text="How they took part in the assessment, how their views shaped it, and how "
        "they will hear about what happens next.",
    )


class FindingsForm(VersionForm):
    findings = _text(
        "Findings",
        10000,
        rows=10,
        help_text="What the assessment found across the three domains: the school's strengths "
        "first, then what needs to change to make it safer for every pupil.",
    )
    recommendations = _text(
        "Recommendations",
        10000,
        rows=8,
        help_text="What the school and its partners could do, to be agreed with the school in "
        "the plan.",
    )


# Each free-text section of the workspace: its form, title and the fields it saves.
SECTIONS = {
    "young-peoples-voice": {
        "form": VoiceForm,
        "title": "Young people's voice",
        "fields": ["young_people_said"],
        "done": "What young people said has been saved.",
    },
    "involvement": {
        "form": InvolvementForm,
        "title": "How young people and parents were involved",
        "fields": ["involvement"],
        "done": "How young people and parents were involved has been saved.",
    },
    "findings": {
        "form": FindingsForm,
        "title": "Findings and recommendations",
        "fields": ["findings", "recommendations"],
        "done": "The findings and recommendations have been saved.",
    },
}
# The domains of the triangle, by the slug in their page's address.
DOMAIN_SLUGS = {
    "pupil-development": Domain.PUPIL_DEVELOPMENT,
    "guardianship": Domain.GUARDIANSHIP,
    "environment-and-family": Domain.ENVIRONMENT_AND_FAMILY,
}
SLUG_FOR_DOMAIN = {value: slug for slug, value in DOMAIN_SLUGS.items()}


class MethodForm(VersionForm):
    kind = forms.ChoiceField(
        label="Method",
        choices=MethodKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the method"},
    )
    held_on = DateInputField(
        label="Date",
        required=True,
        help_text="When it took place, for example 14 3 2026.",
    )
    participants = forms.CharField(
        label="Who took part",
        max_length=300,
        validators=[plain_text],
        help_text="By role and number, never by name: for example “8 Year 9 girls and a "
        "learning mentor”.",
        error_messages={"required": "Say who took part"},
    )
    summary = _text(
        "Summary",
        required=True,
        help_text="What you learned, and which domain of the triangle it informs.",
    )


class SurveyResultForm(VersionForm):
    place = forms.CharField(
        label="Place",
        max_length=100,
        validators=[plain_text],
        help_text="For example “Top-floor toilets”, “School bus” or “Library”.",
        error_messages={"required": "Enter the place"},
    )
    feeling = forms.ChoiceField(
        label="Do pupils feel safe or unsafe there?",
        choices=[(Feeling.UNSAFE, "Unsafe"), (Feeling.SAFE, "Safe")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether pupils feel safe or unsafe there"},
    )
    percent = forms.IntegerField(
        label="Share of respondents (%)",
        min_value=0,
        max_value=100,
        help_text="The percentage of pupils who answered the survey who said this, as a whole "
        "number from 0 to 100.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the share of respondents",
            "invalid": "Enter the share of respondents as a whole number, like 35",
            "min_value": "Enter a share of respondents from 0 to 100",
            "max_value": "Enter a share of respondents from 0 to 100",
        },
    )


class SchoolResponseForm(VersionForm):
    school_response = _text(
        "The school's response",
        rows=10,
        required=True,
        help_text="In your own words: what you recognise in the findings, what you see "
        "differently, and what the school wants to do next.",
    )
