"""Risk assessments of a case (DfE advice on sexual violence and sexual harassment between
children, paras 58-82): required, completed, reviewed until closed; each review kept."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from casework.validators import plain_text


class RiskKind(models.TextChoices):
    # A report of sexual violence: an immediate risk and needs assessment (para 58).
    IMMEDIATE = "immediate", "Immediate risk and needs assessment (sexual violence)"
    # Child sexual or criminal exploitation: its own assessment and timescale.
    EXPLOITATION = "exploitation", "Exploitation risk assessment"
    # Other harm: considered case by case (para 59); the decision is recorded.
    CASE_BY_CASE = "case_by_case", "Risk assessment (considered case by case)"


class RiskState(models.TextChoices):
    REQUIRED = "required", "Required"
    COMPLETED = "completed", "Completed, under review"
    NOT_REQUIRED = "not_required", "Considered: not required"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Measure(models.TextChoices):
    SEPARATE_CLASSES = "separate_classes", "Separate classes"
    TRANSPORT = "transport", "Separate or supervised transport"
    SUPERVISION = "supervision", "Supervision at break, lunch and between lessons"
    TRUSTED_ADULT = "trusted_adult", "A trusted adult for the victim"
    TIMETABLE = "timetable", "Timetable changes"
    ONLINE_SAFETY = "online_safety", "Online safety measures"
    OTHER = "other", "Other"


class CompletedBy(models.TextChoices):
    SCHOOL = "school", "The school (DSL)"
    PRACTITIONER = "practitioner", "A practitioner"


def _text(max_length, label=None, help_text=""):
    return models.TextField(
        label, blank=True, max_length=max_length, validators=[plain_text], help_text=help_text
    )


class RiskAssessment(ConcurrentTransitionMixin, models.Model):
    """One risk assessment of a case. Every state change goes through referrals.risks.services."""

    case = models.ForeignKey(
        "referrals.SchoolReferral", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    kind = models.CharField(max_length=20, choices=RiskKind.choices)
    state = FSMField(default=RiskState.REQUIRED, choices=RiskState.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = _text(3000, "why it was started (or found not to be needed)")

    # Who is at risk, and from what (para 60): the victim, other possible victims, the
    # alleged perpetrator(s), other children and staff; when and where it happened.
    victim = _text(3000, "the victim: needs and wishes")
    other_victims = _text(3000, "other possible victims")
    alleged_perpetrators = _text(3000, "the alleged perpetrator(s)")
    others = _text(3000, "other children and staff")
    time_and_place = _text(3000, "time and place of the incident")
    place_safety = _text(3000, "how to make that place safer")
    measures = models.JSONField(default=list, blank=True)
    measures_detail = _text(3000, "the measures in detail")
    professional_assessments = _text(
        3000,
        "professional assessments that inform it",
        "For example a social care assessment, a police view, a specialist HSB assessment.",
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_reasons = _text(3000, "reasons for the risk level")
    completed_by_role = models.CharField(max_length=20, choices=CompletedBy.choices, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField("next review date", null=True, blank=True)
    closed_reason = _text(3000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display().lower()})"

    def get_absolute_url(self):
        return reverse("risk_assessment_detail", args=[self.case_id, self.pk])

    @property
    def measure_labels(self):
        names = dict(Measure.choices)
        return [str(names.get(m, m)) for m in self.measures or []]

    @transition(field=state, source=RiskState.REQUIRED, target=RiskState.COMPLETED)
    def complete(self):
        pass

    @transition(field=state, source=RiskState.REQUIRED, target=RiskState.NOT_REQUIRED)
    def find_not_required(self):
        pass

    # A review re-enters the same state: the review clock restarts from it.
    @transition(field=state, source=RiskState.COMPLETED, target=RiskState.COMPLETED)
    def review(self):
        pass

    @transition(
        field=state, source=[RiskState.REQUIRED, RiskState.COMPLETED], target=RiskState.CLOSED
    )
    def close(self):
        pass


class RiskReview(models.Model):
    """One review of a risk assessment, kept as it was."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    measures = models.JSONField(default=list, blank=True)
    what_changed = _text(3000, "what has changed since the last review")
    young_people_say = _text(3000, "what the young people involved say")
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed_at", "pk"]

    def __str__(self):
        return f"Review {self.reviewed_at:%d %b %Y}"

    @property
    def measure_labels(self):
        names = dict(Measure.choices)
        return [str(names.get(m, m)) for m in self.measures or []]
