"""Celery tasks: idempotent, late-acknowledged, taking plain values."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from notifications import digest, outbox, sweep

DRAIN_SECONDS = 50


@shared_task(acks_late=True)
def run_reminder_sweep(as_of=None):
    run = sweep.run_sweep(parse_datetime(as_of) if as_of else None)
    return {"reminders": run.reminders, "alerts": run.alerts, "escalations": run.escalations}


@shared_task(acks_late=True)
def drain_outbox():
    """Send every due email. Beat runs it every minute and each commit that writes messages
    nudges it; after DRAIN_SECONDS it hands over to a fresh task, so no task runs for ever."""
    outcomes = outbox.drain(seconds=DRAIN_SECONDS)
    if outcomes and not outcomes[outbox.UNAVAILABLE] and outbox.has_due():
        drain_outbox.apply_async(retry=False)
    return dict(outcomes)


@shared_task(acks_late=True)
def send_rag_digests(as_of=None):
    return digest.send_digests(parse_datetime(as_of) if as_of else None)
