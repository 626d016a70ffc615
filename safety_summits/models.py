"""The School Partnership Meeting (seed 002): Children's Social Care and the school, with
partners, identify concerns and strengths around a peer group or a place, and agree a
safety plan. Every state change goes through safety_summits.services."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from casework.validators import plain_text
from referrals.models import SchoolReferral
from safety_summits.choices import (
    OPEN_STATES,
    About,
    Format,
    MeetingState,
    peer_group_lines,
)
from safety_summits.querysets import PartnershipMeetingQuerySet

M = MeetingState


def _text(label, max_length=5000, validators=()):
    return models.TextField(
        label, blank=True, max_length=max_length, validators=[plain_text, *validators]
    )


def _who():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class SchoolPartnershipMeeting(ConcurrentTransitionMixin, models.Model):
    """One School Partnership Meeting of a case, opened by the panel's decision for it."""

    referral = models.ForeignKey(
        SchoolReferral, on_delete=models.PROTECT, related_name="partnership_meetings"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_meetings_led",
    )
    state = FSMField(default=M.PLANNED, choices=M.choices, protected=True)
    version = models.PositiveIntegerField(default=0)  # optimistic concurrency (docs 0002)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # When and where
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    format = models.CharField(max_length=20, choices=Format.choices, blank=True)
    place = models.CharField("place or link", max_length=500, blank=True, validators=[plain_text])
    agenda = _text("agenda", 5000)

    # The pre-meeting document, by the school's DSLs
    pre_trends = _text("trends and themes affecting students")
    pre_peer_groups = _text(
        "peer groups (identifiers or initials only)", 1000, validators=[peer_group_lines]
    )
    pre_places = _text("places and online spaces")
    pre_tried = _text("what the school has tried")
    pre_strengths = _text("strengths")
    pre_completed_at = models.DateTimeField(null=True, blank=True)
    pre_completed_by = _who()

    # The meeting
    held_at = models.DateTimeField(null=True, blank=True)
    terms_agreed = models.BooleanField(
        "terms of reference and information-sharing agreement agreed", default=False
    )
    # Which terms of reference and information-sharing agreement the attendees work under.
    terms_version = models.CharField(
        "version of the terms of reference and information-sharing agreement",
        max_length=100,
        blank=True,
        validators=[plain_text],
    )
    terms_agreed_on = models.DateField("date the terms were agreed", null=True, blank=True)
    terms_agreed_by = _text("who agreed the terms (names and organisations)", 2000)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    other_attendees = _text("other attendees (name, role, organisation)", 2000)
    without_document_reason = _text("why it was held without the pre-meeting document", 2000)
    notes = _text("notes", 10000)

    # The safety plan
    distributed_at = models.DateTimeField(null=True, blank=True)
    distributed_by = _who()
    end_reason = _text("why it was cancelled or stopped", 3000)

    history = HistoricalRecords()
    objects = PartnershipMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_partnership_meeting_per_case",
            )
        ]
        # The list's default view (casework.lists.open_work_first): the open ones in the
        # order they opened, read in that order and stopped at the page.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="partnership_meeting_open",
                condition=models.Q(state__in=OPEN_STATES),
            )
        ]

    def __str__(self):
        return f"School Partnership Meeting of {self.referral.school.name} ({self.referral})"

    def get_absolute_url(self):
        return reverse("partnership_meeting_detail", args=[self.pk])

    @property
    def has_pre_meeting_document(self):
        return self.pre_completed_at is not None

    # --- transitions: called only from safety_summits.services --------------------------

    @transition(field=state, source=M.PLANNED, target=M.SCHEDULED)
    def schedule(self):
        pass

    @transition(field=state, source=M.SCHEDULED, target=M.HELD)
    def hold(self):
        pass

    @transition(field=state, source=M.HELD, target=M.PLAN_DISTRIBUTED)
    def distribute_plan(self):
        pass

    @transition(field=state, source=[M.PLANNED, M.SCHEDULED], target=M.CANCELLED)
    def cancel(self):
        pass

    @transition(field=state, source=OPEN_STATES, target=M.STOPPED)
    def stop(self):
        pass


class Discussion(models.Model):
    """What the meeting found about one peer group (by identifiers or initials) or one place
    or online space: its concerns and its strengths."""

    meeting = models.ForeignKey(
        SchoolPartnershipMeeting, on_delete=models.CASCADE, related_name="discussions"
    )
    about = models.CharField(max_length=20, choices=About.choices)
    name = models.CharField(max_length=100, validators=[plain_text])
    concerns = _text("concerns")
    strengths = _text("strengths")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["about", "pk"]

    def __str__(self):
        return f"{self.get_about_display()}: {self.name}"


class MeetingAction(models.Model):
    """An action the meeting agreed. Once the meeting is held it becomes an action of the
    case plan (`plan_action`)."""

    meeting = models.ForeignKey(
        SchoolPartnershipMeeting, on_delete=models.CASCADE, related_name="actions"
    )
    what = models.CharField(max_length=300, validators=[plain_text])
    why = models.CharField(max_length=300, validators=[plain_text])
    owner = _who()
    owner_contact = models.CharField(max_length=200, blank=True, validators=[plain_text])
    due_on = models.DateField()
    plan_action = models.ForeignKey(
        "referrals.PlanAction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what

    @property
    def owner_words(self):
        return str(self.owner) if self.owner else self.owner_contact


class DateChange(models.Model):
    """A rescheduled meeting: when it was to be, when it is now, and why. (An edit, not a
    transition: re-entering `scheduled` through the runner would meet the meeting-held
    clock, which is met only when the meeting is held.)"""

    meeting = models.ForeignKey(
        SchoolPartnershipMeeting, on_delete=models.CASCADE, related_name="date_changes"
    )
    was_starts_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    reason = models.TextField(max_length=3000, validators=[plain_text])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Rescheduled to {self.starts_at:%d %b %Y %H:%M}"


# The Student Safety Summit, one file per concern; imported so Django registers it.
from safety_summits.summit.models import (  # noqa: E402, F401
    SafetyMapPlace,
    SafetySummit,
    SummitAction,
    SummitDateChange,
    SummitInvitee,
    SummitTurnout,
    SummitVoice,
    YouSaidWeDid,
)
