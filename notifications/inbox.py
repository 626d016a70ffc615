"""The inbox: one page of a person's own messages, newest first, all or only the unread,
of one kind or any. Its kinds group the `stage` each message was written with (the clock's
stage, or the `kind` a service passed to notify_people) under names people use."""

from django.core.paginator import Page
from django.db.models import QuerySet

from casework.lists import page_of
from notifications.models import Notification

# (value, label, stages). "other" is every stage not named here, so a new kind of message
# is never unreachable by the filter.
KINDS = [
    ("reminder", "Reminders", ["reminder"]),
    ("alert", "Overdue alerts", ["alert"]),
    ("escalation", "Escalations", ["escalation"]),
    ("digest", "RAG digests", ["digest"]),
    ("allocation", "Allocations", ["assignment", "reallocation"]),
    (
        "information",
        "Requests for information and answers",
        ["information_request", "information_response"],
    ),
    ("meeting", "Meetings", ["meeting"]),
    ("panel", "Panel business", ["panel"]),
    ("outcome", "Decisions and outcome letters", ["outcome"]),
    ("assessment", "School Assessments", ["assessment"]),
    ("action", "Plan actions", ["action"]),
    ("ending", "Endings and hand-offs", ["ending"]),
    ("undelivered", "Emails not delivered", ["undelivered"]),
    ("other", "Other messages", None),
]
KIND_CHOICES = [(value, label) for value, label, _ in KINDS]
NAMED_STAGES = [stage for _, _, stages in KINDS for stage in stages or ()]


def inbox_messages(user, *, unread_only: bool = False, kind: str = "") -> QuerySet:
    """This person's messages (nobody else's, whatever is asked), newest first."""
    messages = Notification.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    stages = {value: stages for value, _, stages in KINDS}
    if kind == "other":
        messages = messages.exclude(stage__in=NAMED_STAGES)
    elif kind in stages:
        messages = messages.filter(stage__in=stages[kind])
    return messages.order_by("-created_at", "-id")


def inbox_page(user, number, *, unread_only: bool = False, kind: str = "") -> Page:
    return page_of(inbox_messages(user, unread_only=unread_only, kind=kind), number)


def mark_everything_read(user, now) -> int:
    """Every unread message of this person, whatever the page's filters: how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
