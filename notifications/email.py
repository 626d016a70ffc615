"""Email for inbox messages. A message is claimed (pending -> sending) by one worker under a
row lock before it is sent, so two workers never send the same one. A worker killed between
claiming and sending leaves it 'sending'; after CLAIM_TIMEOUT it is claimed again (so in that
narrow window an email may go twice, never zero times)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import Notification

CLAIM_TIMEOUT = dt.timedelta(minutes=15)
BATCH = 500


def send_after_commit():
    from notifications.tasks import send_pending_emails

    transaction.on_commit(send_pending_emails.delay)


def send_pending(limit=BATCH):
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Notification.objects.filter(
                Q(email_status=Notification.Email.PENDING)
                | Q(
                    email_status=Notification.Email.SENDING,
                    email_claimed_at__lt=now - CLAIM_TIMEOUT,
                )
            )
            .select_related("user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")[:limit]
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            email_status=Notification.Email.SENDING, email_claimed_at=now
        )
    sent = 0
    for message in claimed:
        if not message.user.is_active or not message.user.email:
            status = Notification.Email.NOT_SENT
        else:
            link = f"{settings.SITE_URL}{message.url}" if message.url else settings.SITE_URL
            send_mail(
                message.title,
                f"{message.body}\n\n{link}\n\nThis message is also in your inbox.",
                settings.DEFAULT_FROM_EMAIL,
                [message.user.email],
            )
            status = Notification.Email.SENT
            sent += 1
        Notification.objects.filter(pk=message.pk).update(
            email_status=status, emailed_at=timezone.now()
        )
    return sent
