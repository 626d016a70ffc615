"""The reminder sweep: reminders, overdue alerts and escalations, each exactly once.

How "exactly once" holds with several workers, beats and crashes:
- each batch locks its deadlines with SELECT ... FOR UPDATE SKIP LOCKED, so two sweeps
  never work on the same deadline at once;
- the batch writes the inbox messages and stamps the stage (reminded_at, ...) in one
  transaction: a sweep killed half-way commits nothing, and the next sweep does it all;
- a unique constraint on (deadline, stage, person) refuses a second message whatever
  happens above.
Emails are sent from the stored messages by the outbox (notifications.outbox).

The sweep reads through partial indexes holding only the deadlines still waiting for each
stage, so its cost follows the number due, not the number that exist."""

from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import (
    Deadline,
    DeadlineStatus,
    Notification,
    Stage,
    SweepRun,
    Timescale,
)
from notifications.owners import recipients

BATCH = 5000
# What the sweep reads of each deadline (owners.recipients needs the scope columns).
COLUMNS = [
    "pk",
    "authority_id",
    "owner_id",
    "owner_role",
    "school_id",
    "panel_id",
    "team_id",
    "timescale_id",
    "case_label",
    "case_url",
    "due_at",
]

# stage, the moment it falls due, the stamp it leaves
STAGES = [
    (Stage.REMINDER, "reminder_at", "reminded_at"),
    (Stage.ALERT, "due_at", "alerted_at"),
    (Stage.ESCALATION, "escalation_at", "escalated_at"),
]

WORDS = {
    Stage.REMINDER: ("Reminder", "is due {due}."),
    Stage.ALERT: ("Overdue", "was due {due} and is now overdue."),
    Stage.ESCALATION: (
        "Escalation",
        "was due {due} and is still overdue: please act or reallocate.",
    ),
}


def run_sweep(now=None):
    """One sweep as of `now` (default: the real time). Returns the SweepRun."""
    now = now or timezone.now()
    run = SweepRun.objects.create(started_at=timezone.now(), as_of=now)
    counts = {}
    for stage, due_field, stamp in STAGES:
        counts[stage] = 0
        while True:
            # Counted: the messages written, not the clocks stamped (a clock with nobody to
            # tell is stamped but reaches no one).
            stamped, written = _sweep_batch(stage, due_field, stamp, now)
            counts[stage] += written
            if stamped < BATCH:
                break
    run.reminders = counts[Stage.REMINDER]
    run.alerts = counts[Stage.ALERT]
    run.escalations = counts[Stage.ESCALATION]
    run.finished_at = timezone.now()
    run.save()
    return run


def _sweep_batch(stage, due_field, stamp, now):
    with transaction.atomic():
        # Plain tuples of the columns needed, not model instances: the sweep's own cost is
        # mostly Python per row (see tests/bench).
        batch = list(
            Deadline.objects.filter(
                status=DeadlineStatus.RUNNING,
                **{f"{due_field}__lte": now, f"{stamp}__isnull": True},
            )
            .select_for_update(skip_locked=True)
            .order_by(due_field)
            .values_list(*COLUMNS, named=True)[:BATCH]
        )
        if not batch:
            return 0, 0
        names = dict(
            Timescale.objects.filter(pk__in={d.timescale_id for d in batch}).values_list(
                "pk", "name"
            )
        )
        to_tell = recipients(batch, stage)
        messages = []
        for deadline in batch:
            # A reminder that comes due after the deadline itself (the sweep was stopped, or
            # the clock started late) would only repeat the overdue alert: stamp it silently.
            if stage == Stage.REMINDER and deadline.due_at <= now:
                continue
            messages.extend(
                _messages(deadline, names[deadline.timescale_id], stage, to_tell[deadline.pk], now)
            )
        Notification.objects.bulk_create(messages, ignore_conflicts=True)
        # Bookkeeping stamps on the clock, not case data: one statement for the batch.
        Deadline.objects.filter(pk__in=[d.pk for d in batch]).update(**{stamp: now})
        outbox.nudge()
    return len(batch), len(messages)


def _messages(deadline, name, stage, user_ids, now):
    prefix, sentence = WORDS[stage]
    due = timezone.localtime(deadline.due_at).strftime("%a %-d %b %Y at %H:%M")
    title = f"{prefix}: {name} for {deadline.case_label}"[:200]
    body = f"{name} for {deadline.case_label} {sentence.format(due=due)}"
    return [
        Notification(
            user_id=user_id,
            deadline_id=deadline.pk,
            stage=stage,
            title=title,
            body=body,
            url=deadline.case_url,
            created_at=now,
        )
        for user_id in sorted(user_ids)
    ]
