"""Clocks and the messages they send.

The catalogue (Timescale) says what starts and stops each clock; a Deadline is one running
clock; a Notification is one message to one person, unique per deadline, stage and person
so that nothing is ever sent twice. Case records are known only by content type and id."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import LocalAuthority, Team


class ClosureDay(models.Model):
    """A local closure day (for example a council closure between Christmas and New Year)."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="closure_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "date"], name="one_closure_per_day")
        ]

    def __str__(self):
        return f"{self.date:%d %b %Y}: {self.reason}"


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    MONTHS = "months", "Calendar months"


class OwnerRole(models.TextChoices):
    FRONT_DOOR = "front_door", "The front door"
    DSL = "dsl", "The school's DSLs"
    CHAIR = "chair", "The panel chair"
    LEAD = "lead", "The lead practitioner"
    # The person named on the record (a plan action's owner), else the lead.
    OWNER = "owner", "The person named on the record"


def period_in_words(period, unit):
    if unit == PeriodUnit.MONTHS:
        return f"{period} month" if period == 1 else f"{period} months"
    return f"{period} working day" if period == 1 else f"{period} working days"


class Timescale(models.Model):
    """One clock of the catalogue (DESIGN section 4), per authority, editable, with history."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="timescales"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    model = models.CharField(
        max_length=100, help_text="The record it watches, as app_label.modelname."
    )
    running_states = models.JSONField(help_text="States in which the clock runs.")
    met_states = models.JSONField(
        help_text="Leaving into one of these meets the deadline; any other exit cancels it."
    )
    condition = models.JSONField(
        default=dict,
        blank=True,
        help_text='Start only when a field holds one of some values, e.g. {"field": '
        '"concern_types", "any_of": ["sexual_violence"]}, or whether it is set: '
        '{"field": "panel_id", "is_set": true}.',
    )
    period = models.PositiveSmallIntegerField()
    period_unit = models.CharField(
        max_length=20, choices=PeriodUnit.choices, default=PeriodUnit.WORKING_DAYS
    )
    anchor = models.CharField(
        max_length=60,
        blank=True,
        help_text="Count from this date field of the case (e.g. submitted_at) instead of from "
        "the moment the clock starts.",
    )
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices)
    reminder_days = models.PositiveSmallIntegerField(
        default=1, help_text="Working days before the due date that the reminder goes out."
    )
    escalation_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Working days after the due date that the team manager is told.",
    )
    target_percent = models.PositiveSmallIntegerField(default=95)
    source = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["authority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "key"], name="one_timescale_per_key")
        ]

    def __str__(self):
        return f"{self.name} ({self.period_words})"

    @property
    def period_words(self):
        """ "1 working day", "10 working days", "3 months": what pages say of this clock."""
        return period_in_words(self.period, self.period_unit)


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", "Running"
    MET = "met", "Met"
    CANCELLED = "cancelled", "Cancelled"


class Stage(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    ALERT = "alert", "Overdue alert"
    ESCALATION = "escalation", "Escalation"


class Deadline(models.Model):
    """One running (or finished) clock on a case."""

    # No index of their own (see Meta.indexes): case_type and subject_type lead deadline_case
    # and deadline_subject; nothing reads deadlines by timescale alone but deleting one.
    timescale = models.ForeignKey(
        Timescale, on_delete=models.PROTECT, related_name="deadlines", db_index=False
    )
    # authority, owner and team: no index of their own either; each leads a list index below.
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case_id = models.PositiveBigIntegerField()
    case_label = models.CharField(max_length=60)
    case_url = models.CharField(max_length=200)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    subject_id = models.PositiveBigIntegerField()
    # Who it belongs to: a role over a scope (resolved to people when a message goes out, so
    # someone who joins the front door today gets today's reminders), or one person.
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        db_index=False,
    )
    school_id = models.PositiveBigIntegerField(null=True, blank=True)
    panel_id = models.PositiveBigIntegerField(null=True, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        db_index=False,
    )

    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    reminder_at = models.DateTimeField()
    escalation_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.RUNNING
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True, blank=True)
    stop_reason = models.TextField(blank=True)
    # When each stage went out (set in the same transaction as its notifications).
    reminded_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # A stage whose owners nobody holds is raised, never silently stamped: what went wrong
    # and when (notifications.sweep), shown on the health page until a stage routes again.
    routing_problem = models.CharField(max_length=300, blank=True)
    routing_problem_at = models.DateTimeField(null=True, blank=True)
    # True while a due stage found nobody at all (not even a duty manager): it stays unstamped.
    unroutable = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_at"]
        # Every index is paid for by every write of a clock (the sweep's stamps above all),
        # so each one here names the query it serves. Besides these: the primary key and the
        # unique one_running_clock_per_subject (stop_clock: timescale, subject, running).
        # See migrations 0010_sweep_indexes and 0011_deadline_list_indexes.
        indexes = [
            # The deadlines lists, a page at a time: a person's, a team's, the front door's
            # running clocks in due order, read in that order and stopped at the page (not
            # every clock of the team sorted for each page). Each also serves its foreign
            # key, and the digest reads an authority's running clocks through the first.
            models.Index(
                fields=["authority", "status", "due_at", "id"], name="deadline_authority_list"
            ),
            models.Index(fields=["owner", "status", "due_at", "id"], name="deadline_owner_list"),
            models.Index(fields=["team", "status", "due_at", "id"], name="deadline_team_list"),
            # A case's clocks: deadlines_for_case, running_deadlines_for_cases (list pages),
            # clocks.case_ended / keep_next_due / follow_case, the panel's waiting list.
            models.Index(fields=["case_type", "case_id", "status"], name="deadline_case"),
            # A record's clocks: clocks_of (a list page's rows), deadline_of, the risk
            # assessment's review clock and clocks_kept.
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
            # The sweep reads only what is due: each partial index holds just the running
            # deadlines still waiting for that stage (sweep._sweep_batch, in keyset order).
            models.Index(
                fields=["reminder_at"],
                name="deadline_reminder_pending",
                condition=Q(status="running", reminded_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="deadline_alert_pending",
                condition=Q(status="running", alerted_at__isnull=True),
            ),
            models.Index(
                fields=["escalation_at"],
                name="deadline_escalation_pending",
                condition=Q(status="running", escalated_at__isnull=True),
            ),
            # health: the running clocks raised as unroutable or sent to a fallback, counted
            # on every check. Holds only those few, so it costs the sweep next to nothing.
            models.Index(
                fields=["routing_problem_at"],
                name="deadline_routing_problem",
                condition=Q(status="running")
                & (Q(unroutable=True) | Q(routing_problem_at__isnull=False)),
            ),
        ]
        constraints = [
            # One running clock of a kind per record: a start that races a start is refused.
            models.UniqueConstraint(
                fields=["timescale", "subject_type", "subject_id"],
                condition=Q(status="running"),
                name="one_running_clock_per_subject",
            )
        ]

    def __str__(self):
        return f"{self.timescale.name} – {self.case_label}"

    def rag(self, now):
        """green on track, amber inside the reminder window, red overdue."""
        if self.status != DeadlineStatus.RUNNING:
            return "done"
        if now > self.due_at:
            return "red"
        if now >= self.reminder_at:
            return "amber"
        return "green"


class Notification(models.Model):
    """A message in one person's inbox, and the outbox row of its email (notifications.outbox
    delivers it). Unique per deadline, stage and person: the database, not the sweep's care,
    makes every reminder go out once."""

    class Email(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NOT_SENT = "not_sent", "Not sent"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    stage = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(default=timezone.now)
    email_error = models.TextField(blank=True, help_text="Why the email failed or was not sent.")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # unread_count: a person's unread messages (the header's badge).
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            # The inbox: a person's messages newest first, paged by (-created_at, -id).
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(  # the outbox's queue, in the order it is drained
                fields=["email_next_attempt_at", "id"],
                name="notification_outbox",
                condition=Q(email_status="pending"),
            ),
            models.Index(
                fields=["created_at"],
                name="notification_email_failed",
                condition=Q(email_status="failed"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "stage", "user"],
                condition=Q(deadline__isnull=False),
                name="one_message_per_deadline_stage_person",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def message_id(self):
        """The email's Message-ID: the same on every attempt, so a receiving system can drop a
        duplicate (docs/decisions/0004)."""
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<notification-{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"


class SweepRun(models.Model):
    """Each reminder sweep, so health can tell when the sweep has stopped."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateTimeField()
    reminders = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-finished_at"], name="sweep_latest")]

    def __str__(self):
        return f"Sweep at {self.started_at:%d %b %H:%M}"


class DigestRun(models.Model):
    """One RAG digest slot for one audience; unique so a slot is never sent twice."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=60, help_text="front_door, or team:<id>")
    slot = models.DateTimeField()
    sent_at = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "audience", "slot"], name="one_digest_per_slot"
            )
        ]

    def __str__(self):
        return f"Digest {self.audience} {self.slot:%d %b %H:%M}"
