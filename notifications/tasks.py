"""Celery tasks: idempotent, late-acknowledged, taking plain values."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from notifications import digest, email, sweep


@shared_task(acks_late=True)
def run_reminder_sweep(as_of=None):
    run = sweep.run_sweep(parse_datetime(as_of) if as_of else None)
    return {"reminders": run.reminders, "alerts": run.alerts, "escalations": run.escalations}


@shared_task(acks_late=True)
def send_pending_emails():
    return email.send_pending()


@shared_task(acks_late=True)
def send_rag_digests(as_of=None):
    return digest.send_digests(parse_datetime(as_of) if as_of else None)
