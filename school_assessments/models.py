"""The School Assessment: Children's Social Care assesses the school as a context, with the
school, across the three domains of the triangle (seed 002). Every state change goes through
school_assessments.services."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from casework.validators import plain_text
from referrals.models import SchoolReferral
from school_assessments.choices import (
    DOMAIN_QUESTIONS,
    OPEN_STATES,
    AssessmentState,
    Domain,
    Feeling,
    Judgement,
    MethodKind,
)
from school_assessments.querysets import SchoolAssessmentQuerySet

A = AssessmentState


def _free_text(label, max_length=5000, **kwargs):
    return models.TextField(
        label, blank=True, max_length=max_length, validators=[plain_text], **kwargs
    )


class SchoolAssessment(ConcurrentTransitionMixin, models.Model):
    """One School Assessment of a case, opened by the panel's decision for that pathway."""

    referral = models.ForeignKey(
        SchoolReferral, on_delete=models.PROTECT, related_name="school_assessments"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="school_assessments_led",
    )
    state = FSMField(default=A.PLANNED, choices=A.choices, protected=True)
    # Optimistic concurrency: every service bumps it; a stale form is refused (docs 0002).
    version = models.PositiveIntegerField(default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    findings_drafted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    # Young people's voice and how young people and parents took part
    young_people_said = _free_text("what young people said")
    involvement = _free_text("how young people and parents or carers were involved")

    # What the assessment found, and what it recommends
    findings = _free_text("findings", 10000)
    recommendations = _free_text("recommendations", 10000)

    # The school's response to the findings, in its own words
    school_response = _free_text("the school's response")
    school_response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    school_response_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SchoolAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open assessment per case (a completed or stopped one may be followed by
            # another).
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_school_assessment_per_case",
            )
        ]
        # The list's default view (casework.lists.open_work_first): the open ones in the
        # order they opened, read in that order and stopped at the page.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="school_assessment_open",
                condition=models.Q(state__in=OPEN_STATES),
            )
        ]

    def __str__(self):
        return f"School Assessment of {self.referral.school.name} ({self.referral})"

    def get_absolute_url(self):
        return reverse("school_assessment_detail", args=[self.pk])

    # --- transitions: called only from school_assessments.services ----------------------

    @transition(field=state, source=A.PLANNED, target=A.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=state, source=A.IN_PROGRESS, target=A.FINDINGS_DRAFTED)
    def draft_findings(self):
        pass

    @transition(field=state, source=A.FINDINGS_DRAFTED, target=A.SHARED_WITH_SCHOOL)
    def share_with_school(self):
        pass

    @transition(field=state, source=A.SHARED_WITH_SCHOOL, target=A.COMPLETED)
    def complete(self):
        pass

    @transition(
        field=state,
        source=[A.PLANNED, A.IN_PROGRESS, A.FINDINGS_DRAFTED, A.SHARED_WITH_SCHOOL],
        target=A.STOPPED,
    )
    def stop(self):
        pass


class AssessmentDomain(models.Model):
    """What the assessment found in one domain of the triangle."""

    assessment = models.ForeignKey(
        SchoolAssessment, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(max_length=30, choices=Domain.choices)
    strengths = _free_text("strengths")
    concerns = _free_text("concerns")
    evidence = _free_text("evidence")
    judgement = models.CharField(max_length=30, choices=Judgement.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_row_per_domain")
        ]

    def __str__(self):
        return f"{self.get_domain_display()} ({self.assessment_id})"

    @property
    def question(self):
        return DOMAIN_QUESTIONS[Domain(self.domain)]

    @property
    def is_complete(self):
        """A domain counts once it has a judgement, the evidence for it, and what was found
        (strengths, concerns or both)."""
        return bool(
            self.judgement
            and self.evidence.strip()
            and (self.strengths.strip() or self.concerns.strip())
        )

    @property
    def is_started(self):
        return bool(self.judgement or self.evidence or self.strengths or self.concerns)


class AssessmentMethod(models.Model):
    """One way the assessment gathered what it knows: a focus group, a review, a survey or an
    observation, when it happened, who took part (by role, never by name) and a summary."""

    assessment = models.ForeignKey(
        SchoolAssessment, on_delete=models.CASCADE, related_name="methods"
    )
    kind = models.CharField("method", max_length=30, choices=MethodKind.choices)
    held_on = models.DateField("date")
    participants = models.CharField(max_length=300, validators=[plain_text])
    summary = models.TextField(max_length=5000, validators=[plain_text])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.held_on:%d %b %Y}"


class SurveyResult(models.Model):
    """From a pupils' survey: the share of respondents who feel safe or unsafe in a place."""

    assessment = models.ForeignKey(
        SchoolAssessment, on_delete=models.CASCADE, related_name="survey_results"
    )
    place = models.CharField(max_length=100, validators=[plain_text])
    feeling = models.CharField(max_length=10, choices=Feeling.choices)
    percent = models.PositiveSmallIntegerField(
        "share of respondents (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["feeling", "-percent", "place", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "feeling", "place"], name="one_result_per_place_and_feeling"
            )
        ]

    def __str__(self):
        return f"{self.percent}% feel {self.feeling} in {self.place}"
