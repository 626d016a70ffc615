"""Reads: lists and the front-door queue, always through visible_to."""

from dataclasses import dataclass

from django.utils import timezone

from notifications.workdays import due_after_working_days
from referrals.models import SchoolReferral

SCREENING_WORKING_DAYS = 1  # Working Together: a decision on a referral within one working day


def referrals_for(user):
    return (
        SchoolReferral.objects.visible_to(user)
        .select_related("school", "panel")
        .order_by("-updated_at")
    )


@dataclass
class QueueItem:
    referral: SchoolReferral
    due: object
    waiting: object
    status: str  # "overdue", "due_today", "on_track"

    @property
    def status_label(self):
        return {"overdue": "Overdue", "due_today": "Due today", "on_track": "On track"}[self.status]


def front_door_queue(user, now=None):
    """Submitted and screening referrals of this person's authorities, oldest first, each
    with its screening decision due time (one working day, in the authority's nation)."""
    now = now or timezone.now()
    referrals = (
        SchoolReferral.objects.visible_to(user)
        .awaiting_front_door()
        .select_related("school__authority", "screened_by")
        .order_by("submitted_at", "pk")
    )
    items = []
    for referral in referrals:
        due = due_after_working_days(
            referral.submitted_at, SCREENING_WORKING_DAYS, referral.school.authority.nation
        )
        if now > due:
            status = "overdue"
        elif timezone.localdate(now) == timezone.localdate(due):
            status = "due_today"
        else:
            status = "on_track"
        items.append(QueueItem(referral, due, now - referral.submitted_at, status))
    return items
