"""Messages that are not deadlines: outcome letters and the like, to the inbox and by email."""

from django.utils import timezone

from notifications import email
from notifications.models import Notification


def notify_people(*, user_ids, title, body="", url="", kind="message"):
    """Inbox messages for these people, emailed after the transaction commits."""
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user_id=user_id, stage=kind, title=title[:200], body=body, url=url, created_at=now
        )
        for user_id in sorted(set(user_ids))
    )
    email.send_after_commit()
