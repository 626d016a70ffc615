"""Panel meetings, their agendas and minutes, and the threshold decisions they make."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.models import ContextPanel, School, Team
from casework import pathways
from casework.validators import plain_text
from panels.choices import Level, MeetingState
from referrals.models import SchoolReferral, ThresholdIndicator

M = MeetingState


class PanelMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members (and chairs) of the meeting's panel; nobody else sees agendas or minutes."""
        from accounts.roles import Roles

        return self.filter(panel_id__in=Roles.for_user(user).panel_ids)


class PanelMeeting(ConcurrentTransitionMixin, models.Model):
    panel = models.ForeignKey(ContextPanel, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField("place or link", max_length=300, validators=[plain_text])
    state = FSMField(default=M.SCHEDULED, choices=M.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended"
    )
    apologies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_apologised"
    )
    actions = models.TextField(
        "actions agreed", blank=True, max_length=5000, validators=[plain_text]
    )
    amendment_reason = models.TextField(
        blank=True,
        max_length=2000,
        validators=[plain_text],
        help_text="Why approved minutes are being changed (kept with the next version).",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(
        "why it was cancelled", blank=True, max_length=3000, validators=[plain_text]
    )

    history = HistoricalRecords(m2m_fields=[attendees, apologies])
    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.panel.name}, {self.starts_at:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    def local_day(self):
        """The meeting's day in the authority's time zone (settings.TIME_ZONE)."""
        return timezone.localtime(self.starts_at).date()

    @transition(field=state, source=M.SCHEDULED, target=M.IN_SESSION)
    def open(self):
        pass

    @transition(field=state, source=M.SCHEDULED, target=M.SCHEDULED)
    def reschedule(self):
        pass

    @transition(field=state, source=M.SCHEDULED, target=M.CANCELLED)
    def cancel(self):
        pass

    @transition(field=state, source=[M.IN_SESSION, M.MINUTES_DRAFTED], target=M.MINUTES_DRAFTED)
    def draft_minutes(self):
        pass

    @transition(field=state, source=M.MINUTES_DRAFTED, target=M.MINUTES_APPROVED)
    def approve_minutes(self):
        pass

    @transition(field=state, source=M.MINUTES_APPROVED, target=M.MINUTES_DRAFTED)
    def amend_minutes(self):
        pass


class MeetingChange(models.Model):
    """A scheduled meeting moved (when and where it was, and is now) or cancelled, with why
    and who: shown on the meeting's page. The transition record holds the same reason."""

    class Kind(models.TextChoices):
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    was_starts_at = models.DateTimeField()
    was_ends_at = models.DateTimeField()
    was_place = models.CharField(max_length=300)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    reason = models.TextField(max_length=3000, validators=[plain_text])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting}"


class AgendaChange(models.Model):
    """The chair's changes to a meeting's agenda: an urgent item added, or an item deferred
    to the next meeting, each with its reason."""

    class Kind(models.TextChoices):
        URGENT = "urgent", "Urgent item added"
        DEFERRED = "deferred", "Deferred to the next meeting"

    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.CASCADE, related_name="agenda_changes"
    )
    referral = models.ForeignKey(SchoolReferral, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(max_length=2000, validators=[plain_text])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "referral", "kind"], name="one_agenda_change_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.referral}"


class ConflictOfInterest(models.Model):
    """A panel member's declared conflict for a school: they take no part in its decisions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, validators=[plain_text])
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_conflict_per_school")
        ]

    def __str__(self):
        return f"{self.user} – conflict with {self.school.name}"


class ThresholdDecision(models.Model):
    """A panel's decision on a referral. Never edited: a step up or down is a new decision
    that supersedes it, and both are kept."""

    referral = models.ForeignKey(SchoolReferral, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    # One of the installed pathways (casework.pathways); not a fixed list of choices, so a
    # new pathway app needs no change here.
    pathway = models.CharField(max_length=30)
    indicators = models.ManyToManyField(ThresholdIndicator, blank=True, related_name="+")
    rationale = models.TextField(max_length=5000, validators=[plain_text])
    advice = models.TextField(
        "advice to the school", blank=True, max_length=5000, validators=[plain_text]
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_by = models.DateField("work starts by", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    change_reason = models.TextField(
        "reason for stepping up or down", blank=True, max_length=3000, validators=[plain_text]
    )
    conflicts_excluded = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Members present who declared a conflict and took no part.",
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.referral}: {self.get_level_display()}, {self.get_pathway_display()}"

    def save(self, *args, **kwargs):
        # A decision is a record of what was decided: it is written once and never changed.
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise ValueError("A threshold decision is never edited: record a new decision.")
        super().save(*args, **kwargs)

    def get_pathway_display(self) -> str:
        return pathways.label(self.pathway)


class MinutesVersion(models.Model):
    """Approved minutes, frozen. A change after approval is a new version with a reason."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField()
    content = models.JSONField(
        help_text="The minutes as approved: attendance, decisions, deferred items and actions."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    amendment_reason = models.TextField(blank=True, max_length=2000, validators=[plain_text])

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_minutes_version")
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}, version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise ValueError("Approved minutes are fixed: amend them as a new version.")
        super().save(*args, **kwargs)
