"""The case plan every pathway ends in: actions with owners and due dates, reviews until the
school is safer, and the outcomes recorded when the case closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from casework.validators import plain_text


def _text(max_length, label=None, help_text=""):
    return models.TextField(
        label, blank=True, max_length=max_length, validators=[plain_text], help_text=help_text
    )


class PlanState(models.TextChoices):
    DRAFTING = "drafting", "Being agreed"
    AGREED = "agreed", "Agreed, first review due"
    REVIEWED = "reviewed", "Agreed and reviewed"
    # A review decided to close the case: no further review falls due; the case closes with
    # its outcomes (case_close), on its own clock.
    CLOSING = "closing", "Reviewed: the case is to close"
    CLOSED = "closed", "Closed"


class CasePlan(ConcurrentTransitionMixin, models.Model):
    """The plan of one case. Its clocks: agreed within 10 working days of the work that made
    it, first review 3 months after agreement, then every 6 months."""

    case = models.ForeignKey(
        "referrals.SchoolReferral", on_delete=models.CASCADE, related_name="plans"
    )
    state = FSMField(default=PlanState.DRAFTING, choices=PlanState.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(
        "what the plan follows", max_length=200, blank=True, validators=[plain_text]
    )
    aims = _text(
        3000, "what the plan is for", "What will be safer, for whom, and how you will know."
    )
    agreed_with = _text(1000, "who agreed it", "The people and agencies who agreed the plan.")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open plan per case: two people opening a plan at once cannot make two.
            models.UniqueConstraint(
                fields=["case"], condition=~Q(state="closed"), name="one_open_plan_per_case"
            )
        ]

    def __str__(self):
        return f"Plan for {self.case}"

    def get_absolute_url(self):
        return reverse("case_plan", args=[self.case_id])

    @transition(field=state, source=PlanState.DRAFTING, target=PlanState.AGREED)
    def agree(self):
        pass

    # After the first review the plan is "reviewed"; each later review re-enters that state,
    # which restarts the six-monthly review clock.
    # A plan to close can still be reviewed again (the case is not to close after all).
    @transition(
        field=state,
        source=[PlanState.AGREED, PlanState.REVIEWED, PlanState.CLOSING],
        target=PlanState.REVIEWED,
    )
    def review(self):
        pass

    # The review that decides to close the case leads to closure, not to another review.
    @transition(
        field=state, source=[PlanState.AGREED, PlanState.REVIEWED], target=PlanState.CLOSING
    )
    def review_to_close(self):
        pass

    @transition(
        field=state,
        source=[PlanState.DRAFTING, PlanState.AGREED, PlanState.REVIEWED, PlanState.CLOSING],
        target=PlanState.CLOSED,
    )
    def close(self):
        pass


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed without being done"


class PlanAction(ConcurrentTransitionMixin, models.Model):
    """What, why, who and by when. Each open action is a clock to its own due date, owned by
    the person named (a practitioner, a DSL or a partner) or, for a named contact, the lead."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=300, validators=[plain_text])
    why = models.CharField("why (the finding or concern)", max_length=300, validators=[plain_text])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        db_index=False,  # action_owner_by_due leads with it
    )
    owner_contact = models.CharField(
        "named contact",
        max_length=200,
        blank=True,
        validators=[plain_text],
        help_text="A person at a partner agency or the school who does not use this service.",
    )
    due_on = models.DateField("due date")
    state = FSMField(default=ActionState.OPEN, choices=ActionState.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    progress = _text(5000, "progress notes")
    evidence_of_impact = _text(3000, "evidence of impact")
    closed_reason = _text(1000, "why it was closed without being done")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        # My actions, a page at a time (plans.selectors.my_actions): a person's open actions
        # read in due order and stopped at the page, not all of them sorted for each page.
        indexes = [
            models.Index(fields=["owner", "state", "due_on", "id"], name="action_owner_by_due")
        ]

    def __str__(self):
        return self.what

    def get_absolute_url(self):
        return reverse("plan_action", args=[self.pk])

    @property
    def owner_label(self):
        return self.owner.get_full_name() or self.owner.email if self.owner else self.owner_contact

    @property
    def case(self):
        return self.plan.case

    @transition(field=state, source=ActionState.OPEN, target=ActionState.DONE)
    def mark_done(self):
        pass

    @transition(field=state, source=ActionState.OPEN, target=ActionState.CLOSED)
    def close_undone(self):
        pass

    # A new due date re-enters "open": the action's clock restarts to the new date.
    @transition(field=state, source=ActionState.OPEN, target=ActionState.OPEN)
    def reschedule(self):
        pass


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue the plan"
    STEP_DOWN = "step_down", "Step down (back to the panel)"
    STEP_UP = "step_up", "Step up (back to the panel)"
    CLOSE = "close", "Close the case"


class PlanReview(models.Model):
    """One review of the plan: progress per action, what young people now say, the decision."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    # [{"action": id, "what": ..., "state": ..., "progress": ...}], as it stood at the review.
    progress = models.JSONField(default=list)
    young_people_say = _text(5000, "what young people now say about safety")
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    reason = models.TextField(max_length=3000, validators=[plain_text])

    class Meta:
        ordering = ["reviewed_at", "pk"]

    def __str__(self):
        return f"Review {self.reviewed_at:%d %b %Y}: {self.get_decision_display()}"


class CaseOutcome(models.Model):
    """What a closed case achieved, and how people were told."""

    case = models.OneToOneField(
        "referrals.SchoolReferral", on_delete=models.CASCADE, related_name="outcome"
    )
    what_changed = models.TextField(max_length=5000, validators=[plain_text])
    young_people_told = models.TextField(
        "how young people were told", max_length=2000, validators=[plain_text]
    )
    parents_told = models.TextField(
        "how parents were told", max_length=2000, validators=[plain_text]
    )
    school_community_told = models.TextField(
        "how the school community was told", max_length=2000, validators=[plain_text]
    )
    sustaining_safety = models.TextField(
        "how safety will be sustained", max_length=3000, validators=[plain_text]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"Outcome of {self.case}"
