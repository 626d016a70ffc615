"""Messages that are not deadlines (outcome letters and the like), and what a duty manager
does about an email that could not be delivered."""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import Notification
from notifications.selectors import undelivered_for

log = logging.getLogger(__name__)


def notify_people(
    *, user_ids: Iterable[int], title: str, body: str = "", url: str = "", kind: str = "message"
) -> None:
    """An inbox message for each of these people, in the caller's transaction; each is
    emailed to its person alone, from the outbox, after the transaction commits."""
    outbox.write(user_ids=user_ids, title=title, body=body, url=url, kind=kind)


def email_try_again(*, notification: Notification, by) -> Notification:
    """Put a failed email back in the outbox (once its address has been corrected, say).
    Only a duty manager of the recipient's authority may. Who asked is logged, and shown
    with the message until it is sent."""
    with transaction.atomic():
        current = undelivered_for(by).select_for_update(of=("self",)).filter(pk=notification.pk)
        current = current.first()
        if current is None:
            raise PermissionDenied("Only a duty manager can try a failed email again.")
        now = timezone.now()
        Notification.objects.filter(pk=current.pk).update(
            email_status=Notification.Email.PENDING,
            email_attempts=0,
            email_next_attempt_at=now,
            email_error=f"Tried again by {by} at {timezone.localtime(now):%d %b %Y %H:%M}; "
            f"before that: {current.email_error}"[:1000],
        )
        outbox.nudge()
    log.info("outbox: %s asked to try message %s again", by.pk, current.pk)
    current.refresh_from_db()
    return current
