"""Self-assessment audits: instruments as data, audits and their answers, and partnership
improvement plans.

An Instrument is a versioned definition loaded from a data file (self_assessments/data/
FORMAT.md): its sections (levers or domains), items (themes or statements) and answer scale,
with the publisher's attribution. A SelfAssessment is one completion of an instrument, either
by a school on its case's pathway ("school supported to complete a Beyond Referrals
assessment") or by a partnership (a local authority and its partner agencies). Every change of
an audit's state goes through self_assessments.services."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.models import LocalAuthority, School
from casework.validators import plain_text
from referrals.models import SchoolReferral
from self_assessments.querysets import SelfAssessmentQuerySet


class Audience(models.TextChoices):
    PARTNERSHIP = "partnership", "Multi-agency partnership"
    SCHOOL = "school", "School"


class Instrument(models.Model):
    """A versioned audit instrument, loaded from a data file; never edited in place."""

    key = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    family = models.SlugField(
        max_length=40, help_text="Instruments of one family (beyond_referrals) are alike."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    publisher = models.CharField(max_length=300)
    source = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    guidance = models.TextField(blank=True)
    section_label = models.CharField(max_length=40, default="Section")
    item_label = models.CharField(max_length=40, default="Item")
    note_label = models.CharField(max_length=200, default="Note")
    # [{"key": "green", "value": 2, "label": "GREEN", "meaning": "..."}], highest value first
    scale = models.JSONField()
    # Items scored at or below this value are gaps that can become plan actions.
    gap_at_or_below = models.PositiveSmallIntegerField()
    uses_descriptors = models.BooleanField(
        default=False, help_text="Each item describes every level (a traffic-light rubric)."
    )
    evidence_methods = models.JSONField(default=list)
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: available to every authority.",
    )
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_from = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["family", "name", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_key_version")
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self):
        return reverse("instrument_detail", args=[self.pk])

    @property
    def attribution(self):
        return f"{self.name}. Published by {self.publisher}."

    @property
    def max_value(self):
        return max(level["value"] for level in self.scale)

    def level(self, key):
        for level in self.scale:
            if level["key"] == key:
                return level
        return None

    def evidence_label(self, key):
        for method in self.evidence_methods:
            if method["key"] == key:
                return method["label"]
        return key


class Section(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    title_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="section_unique_key")
        ]

    def __str__(self):
        return self.title


class Item(models.Model):
    """A scored item: a theme with its descriptors, or a statement (or a lettered part of one,
    whose stem is the statement it completes)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    stem_number = models.CharField(max_length=20, blank=True)
    stem = models.TextField(blank=True)
    # {"green": "...", "amber": "...", "red": "..."}: one per scale level, or empty
    descriptors = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="item_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.title or self.text[:60]}"

    @property
    def label(self):
        return f"{self.number} {self.title}" if self.title else self.number


class SelfAssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


S = SelfAssessmentState
COMPLETED_STATES = [S.SUBMITTED, S.REVIEWED, S.CLOSED]


class SelfAssessment(ConcurrentTransitionMixin, models.Model):
    """One completion of an instrument: a school's, on its case's pathway (case set), or a
    partnership's (case empty)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="audits")
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="self_assessments"
    )
    case = models.ForeignKey(
        SchoolReferral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessments",
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="self_assessments"
    )
    title = models.CharField(max_length=150, validators=[plain_text])
    state = FSMField(default=S.IN_PROGRESS, choices=S.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last audit of the same school or partnership with the same instrument.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True, max_length=5000, validators=[plain_text])
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "self-assessment"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=True, school__isnull=True)
                | models.Q(case__isnull=False, school__isnull=False),
                name="self_assessment_case_has_school",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("self_assessment_detail", args=[self.pk])

    @property
    def is_pathway(self):
        return self.case_id is not None

    @property
    def subject_name(self):
        return self.school.name if self.school_id else f"{self.authority.name} partnership"

    # --- transitions: called only from self_assessments.services ------------------------

    @transition(field=state, source=S.IN_PROGRESS, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.REVIEWED)
    def review(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.REVIEWED], target=S.CLOSED)
    def close(self):
        pass

    # The panel moved the case to another pathway: an unfinished audit stops there.
    @transition(field=state, source=[S.IN_PROGRESS, S.SUBMITTED], target=S.CLOSED)
    def stop(self):
        pass


class Answer(models.Model):
    """One item's answer in an audit: the level chosen, the evidence methods, a note. Each
    change is kept in its history with who made it."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=20, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=5000, validators=[plain_text])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.item.number}: {self.choice or 'not answered'}"


class ImprovementPlan(models.Model):
    """A partnership's improvement plan: one per authority, fed by its audits' gaps."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.PROTECT, related_name="improvement_plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.authority.name} partnership improvement plan"

    def get_absolute_url(self):
        return reverse("improvement_plan")


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ImprovementAction(ConcurrentTransitionMixin, models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    what = models.TextField(max_length=2000, validators=[plain_text])
    why = models.TextField(max_length=3000, validators=[plain_text])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_contact = models.CharField(
        max_length=200,
        blank=True,
        validators=[plain_text],
        help_text="A named contact at an agency, if the owner has no account here.",
    )
    due_on = models.DateField()
    state = FSMField(default=ActionStatus.OPEN, choices=ActionStatus.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True, max_length=3000, validators=[plain_text])

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what[:80]

    @property
    def owner_name(self):
        return str(self.owner) if self.owner_id else self.owner_contact

    @transition(field=state, source=ActionStatus.OPEN, target=ActionStatus.DONE)
    def complete(self):
        pass


class GapAction(models.Model):
    """Which plan action an audit's gap became: a case plan action (pathway) or an
    improvement action (partnership). Generic, so this app needs no migration of another's."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="gaps")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["item__position", "created_at"]

    def __str__(self):
        return f"{self.assessment}: {self.item.number} -> action {self.object_id}"
