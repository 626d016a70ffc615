"""The Student Safety Summit and what it records. Young people appear only as numbers
(SummitTurnout) and as what they said (SafetyMapPlace, SummitVoice), never by name: no
field here holds a child's name. Every state change goes through the summit services."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.models import School
from casework.validators import plain_text
from referrals.choices import YEAR_GROUPS
from referrals.models import SchoolReferral
from safety_summits.querysets import SafetySummitQuerySet
from safety_summits.summit.choices import (
    OPEN_STATES,
    Activity,
    Agency,
    PlaceKind,
    Question,
    SummitState,
)

S = SummitState


def _text(label, max_length=5000, blank=True):
    return models.TextField(label, blank=blank, max_length=max_length, validators=[plain_text])


def _who(related_name="+", **kw):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        **kw,
    )


class SafetySummit(ConcurrentTransitionMixin, models.Model):
    """One Student Safety Summit, opened by the panel's decision for it. It may bring
    several schools and colleges together; the case's school is always one of them."""

    referral = models.ForeignKey(
        SchoolReferral, on_delete=models.PROTECT, related_name="safety_summits"
    )
    lead = _who("safety_summits_led")
    state = FSMField(default=S.PLANNED, choices=S.choices, protected=True)
    version = models.PositiveIntegerField(default=0)  # optimistic concurrency (docs 0002)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Planning
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField("place", max_length=500, blank=True, validators=[plain_text])
    host_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    schools = models.ManyToManyField(School, blank=True, related_name="safety_summits")
    activities = models.JSONField(default=list, blank=True)  # Activity values
    young_people_invited = _text("how young people are invited", 3000)
    inclusion = _text("how it is made inclusive", 3000)

    # The day
    held_at = models.DateTimeField(null=True, blank=True)
    other_attendees = _text("other practitioners who came (name and agency)", 2000)
    notes = _text("notes", 10000)

    # Afterwards
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = _who()
    referred_back_at = models.DateTimeField(null=True, blank=True)
    referred_back_by = _who()
    referred_back_reason = _text("why a School Assessment is recommended", 3000)
    end_reason = _text("why it was cancelled or stopped", 3000)

    history = HistoricalRecords()
    objects = SafetySummitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_safety_summit_per_case",
            )
        ]
        # The list's default view (casework.lists.open_work_first): the open ones in the
        # order they opened, read in that order and stopped at the page.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                name="safety_summit_open",
                condition=models.Q(state__in=OPEN_STATES),
            )
        ]

    def __str__(self):
        return f"Student Safety Summit of {self.referral.school.name} ({self.referral})"

    def get_absolute_url(self):
        return reverse("safety_summit_detail", args=[self.pk])

    def activity_labels(self):
        labels = dict(Activity.choices)
        return [labels[a] for a in self.activities if a in labels]

    # --- transitions: called only from the summit services ---------------------------

    @transition(field=state, source=S.PLANNED, target=S.SCHEDULED)
    def schedule(self):
        pass

    @transition(field=state, source=S.SCHEDULED, target=S.HELD)
    def hold(self):
        pass

    @transition(field=state, source=S.HELD, target=S.REPORTED)
    def share_report(self):
        pass

    @transition(field=state, source=[S.PLANNED, S.SCHEDULED], target=S.CANCELLED)
    def cancel(self):
        pass

    @transition(field=state, source=OPEN_STATES, target=S.STOPPED)
    def stop(self):
        pass


class _Part(models.Model):
    """A row of the summit's record, with who added it and when."""

    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class SummitInvitee(_Part):
    """A practitioner invited: a person with an account (told in the service, and able to
    open the summit), or a named person the lead sends the calendar file to."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="invitees")
    user = _who()
    name = models.CharField(max_length=200, blank=True, validators=[plain_text])
    agency = models.CharField(max_length=20, choices=Agency.choices)
    organisation = models.CharField(max_length=200, blank=True, validators=[plain_text])
    attended = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "user"],
                condition=models.Q(user__isnull=False),
                name="one_invitation_per_person",
            )
        ]

    def __str__(self):
        who = str(self.user) if self.user_id else self.name
        return f"{who}, {self.get_agency_display()}" + (
            f" ({self.organisation})" if self.organisation else ""
        )


class SummitTurnout(_Part):
    """How many young people of one school took part: numbers only (by year group, gender
    and SEND), in the same shape as a referral's pupil counts (referrals.pupil_counts)."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="turnouts")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupils_by_year = models.JSONField(default=dict, blank=True)
    pupils_female = models.PositiveIntegerField(null=True, blank=True)
    pupils_male = models.PositiveIntegerField(null=True, blank=True)
    pupils_other_gender = models.PositiveIntegerField(null=True, blank=True)
    pupils_gender_not_known = models.PositiveIntegerField(null=True, blank=True)
    pupils_send = models.PositiveIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "school"], name="one_turnout_per_school")
        ]

    def __str__(self):
        return f"{self.total} young people from {self.school.name}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in (self.pupils_by_year or {}).values())

    @property
    def by_year_words(self) -> str:
        counts = self.pupils_by_year or {}
        return ", ".join(f"{label} {counts[key]}" for key, label in YEAR_GROUPS if counts.get(key))


class SafetyMapPlace(_Part):
    """A place young people of one school marked on the safety map, with how many said it
    feels safe and unsafe, and their suggestions to make it safer. The one shape the
    patterns and scorecard work counts across schools (by kind and name)."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="places")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    name = models.CharField(max_length=200, validators=[plain_text])
    safe_count = models.PositiveIntegerField(default=0)
    unsafe_count = models.PositiveIntegerField(default=0)
    suggestions = _text("suggestions to make it safer", 3000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "kind", "-unsafe_count", "name", "pk"]
        indexes = [models.Index(fields=["kind", "name"], name="safety_map_place_kind_name")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class SummitVoice(_Part):
    """What young people of one school said in answer to one question (never who said it)."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="voices")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=20, choices=Question.choices)
    said = _text("what they said", 3000, blank=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "question", "pk"]

    def __str__(self):
        return f"{self.get_question_display()}: {self.said[:40]}"


class SummitAction(_Part):
    """A next step the summit agreed, with a named owner and due date, for all its schools
    or one of them. It becomes an action of the case plan when the summit is held."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="actions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True)
    what = models.CharField(max_length=300, validators=[plain_text])
    why = models.CharField(max_length=300, validators=[plain_text])
    owner = _who()
    owner_contact = models.CharField(max_length=200, blank=True, validators=[plain_text])
    due_on = models.DateField()
    plan_action = models.ForeignKey(
        "referrals.PlanAction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what

    @property
    def owner_words(self):
        return str(self.owner) if self.owner else self.owner_contact


class YouSaidWeDid(_Part):
    """ "You said, we did": something young people raised, what was done about it and when,
    and when and how they were told."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True)
    you_said = models.CharField("what young people said", max_length=500, validators=[plain_text])
    we_did = _text("what was done", 3000)
    done_on = models.DateField(null=True, blank=True)
    told_on = models.DateField(null=True, blank=True)
    how_told = models.CharField(
        "how young people were told", max_length=300, blank=True, validators=[plain_text]
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.you_said


class SummitDateChange(models.Model):
    """A rescheduled summit: when it was to be, when it is now, and why (an edit, like a
    partnership meeting's DateChange, so the summit-held clock keeps running)."""

    summit = models.ForeignKey(SafetySummit, on_delete=models.CASCADE, related_name="date_changes")
    was_starts_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    reason = models.TextField(max_length=3000, validators=[plain_text])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Rescheduled to {self.starts_at:%d %b %Y %H:%M}"
