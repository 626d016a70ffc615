"""Celery tasks: they take ids and plain values, and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User


@shared_task(acks_late=True)
def email_people(user_ids, subject, body):
    recipients = list(
        User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True)
    )
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
