"""The case: a school referral, its state machine and the records that hang off it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.models import ContextPanel, LocalAuthority, School, Team
from audit.models import Chained
from casework.validators import plain_text
from referrals.choices import (
    CLOSED_STATES,
    ActionTaken,
    ConcernType,
    IndicatorLevel,
    InformationSharingBasis,
    ReferralState,
)
from referrals.querysets import SchoolReferralQuerySet

S = ReferralState
MAX_PUPILS = 5000


def _labels(values, choices):
    names = dict(choices.choices)
    return [str(names.get(v, v)) for v in values or []]


class ThresholdIndicator(models.Model):
    """A school threshold indicator (Universal / Child in Need / Child Protection).

    Data, not code: each authority has its own editable copy of the seed's list."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="threshold_indicators"
    )
    level = models.CharField(max_length=20, choices=IndicatorLevel.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "level", "text"], name="indicator_unique_text"
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.text}"


def _free_text(max_length):
    return models.TextField(blank=True, max_length=max_length, validators=[plain_text])


class SchoolReferral(ConcurrentTransitionMixin, models.Model):
    """The case root. Every state change goes through referrals.services."""

    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="referrals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    state = FSMField(default=S.DRAFT, choices=S.choices, protected=True)
    # Optimistic concurrency for edits: every service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=0)
    # The soonest due time of the case's running clocks, kept by notifications.clocks in the
    # transaction that starts or stops one: the lists sort by it (most urgent first).
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    # What happened
    concern_types = models.JSONField(default=list, blank=True)
    concern_other = models.CharField(max_length=200, blank=True, validators=[plain_text])
    incident_description = _free_text(5000)
    patterns = _free_text(5000)
    places = models.JSONField(default=list, blank=True)
    places_other = models.CharField(max_length=200, blank=True, validators=[plain_text])
    indicators = models.ManyToManyField(ThresholdIndicator, blank=True, related_name="referrals")

    # Affected pupils, in aggregate only (equality monitoring without naming children)
    pupils_by_year = models.JSONField(default=dict, blank=True)
    pupils_female = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PUPILS)]
    )
    pupils_male = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PUPILS)]
    )
    pupils_other_gender = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PUPILS)]
    )
    pupils_gender_not_known = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PUPILS)]
    )
    pupils_send = models.PositiveIntegerField(
        "pupils with SEND", null=True, blank=True, validators=[MaxValueValidator(MAX_PUPILS)]
    )

    # What the school has done, and what young people say
    actions_taken = models.JSONField(default=list, blank=True)
    actions_detail = _free_text(3000)
    young_people_views = _free_text(5000)
    information_sharing_basis = models.CharField(
        max_length=30, choices=InformationSharingBasis.choices, blank=True
    )
    information_sharing_detail = _free_text(2000)

    # Routing: set by the front door, the panel and allocation
    panel = models.ForeignKey(
        ContextPanel, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_screened",
    )
    allocated_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_led",
    )

    history = HistoricalRecords(m2m_fields=[indicators], excluded_fields=["next_due_at"])
    objects = SchoolReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            # The front-door queue's default view and the panel's waiting list (and agenda),
            # oldest submitted first: each in its order, stopped at the page. An index on
            # (state, submitted_at) cannot give two states' rows in one order.
            models.Index(
                fields=["submitted_at", "id"],
                name="referral_front_door_queue",
                condition=Q(state__in=[ReferralState.SUBMITTED, ReferralState.SCREENING]),
            ),
            models.Index(
                fields=["panel", "submitted_at", "id"],
                name="referral_waiting_for_panel",
                condition=Q(
                    state__in=[
                        ReferralState.AWAITING_PANEL,
                        ReferralState.MORE_INFORMATION_REQUESTED,
                    ]
                ),
            ),
            # The referral list (selectors.filtered_referrals), each read in its order LIMIT
            # 50 instead of sorting every match; justified in migration 0006. Most urgent
            # first, open work or all (closed cases run no clock: they are the NULLs at the end).
            models.Index(fields=["next_due_at", "id"], name="referral_by_due"),
            models.Index(fields=["submitted_at", "id"], name="referral_by_submitted"),
            # The closed view, latest changed first.
            models.Index(
                fields=["updated_at", "id"],
                name="referral_closed_by_change",
                condition=Q(state__in=CLOSED_STATES),
            ),
            # Search by reference (LIKE '%...%') and the concern filter (jsonb @>).
            GinIndex(
                fields=["reference"], opclasses=["gin_trgm_ops"], name="referral_reference_trgm"
            ),
            GinIndex(
                fields=["concern_types"],
                opclasses=["jsonb_path_ops"],
                name="referral_concern_types",
            ),
        ]

    def __str__(self):
        return self.reference or f"Draft referral for {self.school.name}"

    def get_absolute_url(self):
        return reverse("referral_detail", args=[self.pk])

    @property
    def authority_id(self):
        return self.school.authority_id

    @property
    def concern_type_labels(self):
        return _labels(self.concern_types, ConcernType)

    @property
    def actions_taken_labels(self):
        return _labels(self.actions_taken, ActionTaken)

    @property
    def pupils_total(self):
        return sum(int(v) for v in (self.pupils_by_year or {}).values())

    # --- transitions: called only from referrals.services ---------------------------

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(
        field=state,
        source=[
            S.DRAFT,
            S.SUBMITTED,
            S.SCREENING,
            S.AWAITING_PANEL,
            S.MORE_INFORMATION_REQUESTED,
        ],
        target=S.WITHDRAWN,
    )
    def withdraw(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.SCREENING)
    def start_screening(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.SCREENING], target=S.AWAITING_PANEL)
    def accept_to_panel(self):
        pass

    @transition(
        field=state,
        source=[S.SUBMITTED, S.SCREENING, S.AWAITING_PANEL],
        target=S.MORE_INFORMATION_REQUESTED,
    )
    def request_information(self):
        pass

    @transition(field=state, source=S.MORE_INFORMATION_REQUESTED, target=S.SCREENING)
    def provide_information_to_front_door(self):
        pass

    @transition(field=state, source=S.MORE_INFORMATION_REQUESTED, target=S.AWAITING_PANEL)
    def provide_information_to_panel(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.SCREENING], target=S.REDIRECTED)
    def redirect(self):
        pass

    # The panel's threshold decision (panels.services records the decision itself).
    @transition(field=state, source=S.AWAITING_PANEL, target=S.DECIDED)
    def decide(self):
        pass

    @transition(field=state, source=S.AWAITING_PANEL, target=S.BELOW_THRESHOLD)
    def decide_below_threshold(self):
        pass

    @transition(field=state, source=[S.DECIDED, S.IN_PROGRESS], target=S.DECIDED)
    def step_up_or_down(self):
        pass

    @transition(field=state, source=[S.DECIDED, S.IN_PROGRESS], target=S.BELOW_THRESHOLD)
    def step_down_below_threshold(self):
        pass

    @transition(field=state, source=S.BELOW_THRESHOLD, target=S.CLOSED)
    def close_with_advice(self):
        pass

    # The pathway's work: started by the lead (or the school, for a self-assessment), then a
    # plan agreed and reviewed, until a review closes the case or sends it back to the panel.
    @transition(field=state, source=S.DECIDED, target=S.IN_PROGRESS)
    def start_work(self):
        pass

    @transition(field=state, source=[S.DECIDED, S.IN_PROGRESS], target=S.REVIEW)
    def begin_review(self):
        pass

    @transition(field=state, source=[S.IN_PROGRESS, S.REVIEW], target=S.AWAITING_PANEL)
    def return_to_panel(self):
        pass

    @transition(field=state, source=S.REVIEW, target=S.CLOSED)
    def close_with_outcomes(self):
        pass


class LinkedChild(models.Model):
    """An individual child linked to the case, only by case-system identifier and initials."""

    referral = models.ForeignKey(
        SchoolReferral, on_delete=models.CASCADE, related_name="linked_children"
    )
    case_system_id = models.CharField(
        "case-system identifier",
        max_length=20,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]{3,20}$",
                "Enter the case-system identifier: 3 to 20 letters, numbers or hyphens.",
            )
        ],
    )
    initials = models.CharField(
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{1,3}$", "Enter initials as 1 to 3 capital letters.")],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "case_system_id"], name="linked_child_once")
        ]

    def __str__(self):
        return f"{self.initials} ({self.case_system_id})"


class InformationRequest(models.Model):
    """A request for more information to the school's DSLs, and their answer."""

    referral = models.ForeignKey(
        SchoolReferral, on_delete=models.CASCADE, related_name="information_requests"
    )
    requested_from_state = models.CharField(max_length=30, choices=S.choices)
    message = models.TextField(max_length=3000, validators=[plain_text])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    response = models.TextField(max_length=5000, blank=True, validators=[plain_text])
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Information request on {self.referral}"


class ReferenceSequence(models.Model):
    """The last reference number issued in a year; locked row by row when issuing."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class TransitionRecord(models.Model):
    """Who moved which record of a case from which state to which, when, and why.

    Generic so pathway records (assessments, summits) write here too; `case` keeps the
    chronology of one case to one indexed query."""

    case = models.ForeignKey(
        SchoolReferral,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transition_records",
        help_text="Empty for records about no single case (a panel meeting).",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.transition}: {self.from_state} -> {self.to_state}"


class CaseAccessLog(Chained):
    """Each view of a case page: who, which case, when (DESIGN: reads are logged). Hash
    chained and append-only (audit.chain); it outlives the case (no constraint, nothing
    cascades), keeping the case's reference and authority."""

    chained = ("at", "user_id", "referral_id", "reference", "authority_id", "page")

    referral = models.ForeignKey(
        SchoolReferral,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="access_log",
    )
    reference = models.CharField(max_length=16, blank=True)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    page = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} viewed {self.referral} ({self.page})"


class ExportLog(Chained):
    """Each export of a list (CSV or Excel): who, which list, the filters as the query
    string, how many rows, when. One row per export, not one per case: see
    casework/exports.py for why. Written by casework.exports.log_export only when the file
    is produced; a refused export writes nothing. Hash chained (audit.chain)."""

    chained = ("at", "user_id", "list_name", "format", "filters", "rows")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    list_name = models.CharField(max_length=40, help_text="The list's URL name.")
    format = models.CharField(max_length=4)  # csv or xlsx
    filters = models.TextField(blank=True, help_text="The query string, without the page.")
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} exported {self.rows} rows of {self.list_name} ({self.format})"


# Records that hang off the case, one file per concern; imported so Django registers them.
from referrals.plans.models import (  # noqa: E402, F401
    CaseOutcome,
    CasePlan,
    PlanAction,
    PlanReview,
)
from referrals.risks.models import RiskAssessment, RiskReview  # noqa: E402, F401
