"""The reminder sweep: reminders, overdue alerts and escalations, each exactly once.

How "exactly once" holds with several workers, beats and crashes:
- each batch locks its deadlines with SELECT ... FOR UPDATE SKIP LOCKED, so two sweeps
  never work on the same deadline at once;
- the batch writes the inbox messages and stamps the stage (reminded_at, ...) in one
  transaction: a sweep killed half-way commits nothing, and the next sweep does it all;
- a unique constraint on (deadline, stage, person) refuses a second message whatever
  happens above.
Emails are sent from the stored messages by the outbox (notifications.outbox).

A stage nobody can be told of is never stamped as sent (docs/decisions/0008-owners.md): the
owner rule and the escalation route (notifications.owners) end at the duty managers; a stage
that reached only a fallback is stamped and raised on the clock (`routing_problem`, shown by
the health check); a stage that reached nobody at all stays unstamped, marked `unroutable`,
and is tried again by every sweep until someone holds the role. Each batch walks on from the
last one (keyset order), so unstamped clocks never hold a sweep in a loop.

The sweep reads through partial indexes holding only the deadlines still waiting for each
stage, so its cost follows the number due, not the number that exist."""

from django.db import transaction
from django.db.models import Case, CharField, DateTimeField, Q, Value, When
from django.db.models.functions import Coalesce
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
from notifications.owners import DUTY, MANAGERS, expected_via, holder, recipients

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
    "routing_problem_at",
    "unroutable",
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
        after = None
        while True:
            # Counted: the messages written, not the clocks stamped.
            seen, written, after = _sweep_batch(stage, due_field, stamp, now, after)
            counts[stage] += written
            if seen < BATCH:
                break
    run.reminders = counts[Stage.REMINDER]
    run.alerts = counts[Stage.ALERT]
    run.escalations = counts[Stage.ESCALATION]
    run.finished_at = timezone.now()
    run.save()
    return run


OWNER_WORDS = {
    "front_door": "the front door",
    "dsl": "the school's DSLs",
    "chair": "the panel's chair",
    "lead": "the lead practitioner",
    "owner": "the person named on the record",
}
HOLDER_WORDS = {
    "front_door": "the front door's managers",
    "panel": "the panel's chair",
    "team": "the team's managers",
}


def _problem(deadline, stage, via):
    """What went wrong in routing this stage, in words (None: nothing did)."""
    if stage == Stage.ESCALATION:
        missing = HOLDER_WORDS[holder(deadline)]
    else:
        missing = OWNER_WORDS.get(deadline.owner_role, deadline.owner_role)
    if via == MANAGERS:
        return f"{Stage(stage).label}: nobody holds {missing}; sent to the managers."
    if via == DUTY:
        return f"{Stage(stage).label}: nobody holds {missing}; sent to the duty manager."
    if via is None:
        return (
            f"{Stage(stage).label}: nobody holds {missing} and there is no duty manager; not sent."
        )
    return None


def _sweep_batch(stage, due_field, stamp, now, after):
    with transaction.atomic():
        query = Deadline.objects.filter(
            status=DeadlineStatus.RUNNING,
            **{f"{due_field}__lte": now, f"{stamp}__isnull": True},
        )
        if stage == Stage.REMINDER:
            # A reminder that comes due after the deadline itself (the sweep was stopped, or
            # the clock started late) would only repeat the overdue alert: it is not sent,
            # and so not stamped as sent either (it stays empty on the clock).
            query = query.filter(due_at__gt=now)
        if after is not None:
            moment, pk = after
            query = query.filter(
                Q(**{f"{due_field}__gt": moment}) | Q(**{due_field: moment, "pk__gt": pk})
            )
        # Plain tuples of the columns needed, not model instances: the sweep's own cost is
        # mostly Python per row (see tests/bench).
        columns = COLUMNS if due_field in COLUMNS else [*COLUMNS, due_field]
        batch = list(
            query.select_for_update(skip_locked=True)
            .order_by(due_field, "pk")
            .values_list(*columns, named=True)[:BATCH]
        )
        if not batch:
            return 0, 0, after
        last = batch[-1]
        after = (getattr(last, due_field), last.pk)
        names = dict(
            Timescale.objects.filter(pk__in={d.timescale_id for d in batch}).values_list(
                "pk", "name"
            )
        )
        to_tell = recipients(batch, stage)
        expected = expected_via(stage)
        messages = []
        stamped, problems, unroutable = [], {}, {}
        for deadline in batch:
            route = to_tell[deadline.pk]
            problem = _problem(deadline, stage, route.via) if route.via != expected else None
            if route.via is None:
                unroutable[deadline.pk] = problem
                continue
            stamped.append(deadline)
            if problem:
                problems[deadline.pk] = problem
            messages.extend(_messages(deadline, names[deadline.timescale_id], stage, route, now))
        Notification.objects.bulk_create(messages, ignore_conflicts=True)
        # Bookkeeping stamps on the clock, not case data: one statement for the stamped and
        # one for the unroutable, whatever the batch's size.
        if stamped:
            fields = {stamp: now, "unroutable": False}
            if problems or any(d.routing_problem_at or d.unroutable for d in stamped):
                fields["routing_problem"] = Case(
                    *[When(pk=pk, then=Value(text)) for pk, text in problems.items()],
                    default=Value(""),
                    output_field=CharField(),
                )
                fields["routing_problem_at"] = Case(
                    When(pk__in=list(problems), then=Value(now)),
                    default=Value(None),
                    output_field=DateTimeField(),
                )
            Deadline.objects.filter(pk__in=[d.pk for d in stamped]).update(**fields)
        if unroutable:
            Deadline.objects.filter(pk__in=list(unroutable)).update(
                unroutable=True,
                routing_problem=Case(
                    *[When(pk=pk, then=Value(text)) for pk, text in unroutable.items()],
                    output_field=CharField(),
                ),
                routing_problem_at=Coalesce("routing_problem_at", Value(now)),
            )
        outbox.nudge()
    return len(batch), len(messages), after


def _messages(deadline, name, stage, route, now):
    prefix, sentence = WORDS[stage]
    due = timezone.localtime(deadline.due_at).strftime("%a %-d %b %Y at %H:%M")
    title = f"{prefix}: {name} for {deadline.case_label}"[:200]
    body = f"{name} for {deadline.case_label} {sentence.format(due=due)}"
    if route.via == MANAGERS and stage != Stage.ESCALATION:
        body += " Nobody holds the role that owns it, so you are told as its manager."
    elif route.via == DUTY:
        body += (
            " Nobody on its escalation route can be told, so you are told as the duty manager:"
            " please make sure someone holds it."
        )
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
        for user_id in sorted(route.users)
    ]
