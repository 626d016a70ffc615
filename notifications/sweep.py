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
stage, so its cost follows the number due, not the number that exist. A batch is the same
few statements whatever its size: the locked read (plain tuples), the routing reads, one
INSERT ... SELECT FROM unnest(...) of every message and one UPDATE ... FROM unnest(...) of
every stamp; its Python is only the routing, so the database does the bulk of the work
(tests/bench/bench_sweep.py measures it against a one-statement floor)."""

from django.db import connection, transaction
from django.db.models import Q, Value
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
# What the sweep reads of each deadline: the scope columns owners.recipients routes by (the
# message text is made in the INSERT, from the row itself).
COLUMNS = [
    "pk",
    "authority_id",
    "owner_id",
    "owner_role",
    "school_id",
    "panel_id",
    "team_id",
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
        # Plain tuples of the columns the routing needs, not model instances: the sweep's own
        # cost is Python per row (see tests/bench), so the text is left to the INSERT.
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
        to_tell = recipients(batch, stage)
        expected = expected_via(stage)
        # Column arrays: one element per message (user, deadline, note) and one per deadline
        # of the batch (id, routed, problem).
        users, deadlines, notes = [], [], []
        ids, routed, problems = [], [], []
        for deadline in batch:
            route = to_tell[deadline.pk]
            via = route.via
            ids.append(deadline.pk)
            routed.append(via is not None)
            problems.append(_problem(deadline, stage, via) if via != expected else None)
            if via is None:
                continue
            note = _note(stage, via)
            for user_id in sorted(route.users):
                users.append(user_id)
                deadlines.append(deadline.pk)
                notes.append(note)
        if connection.vendor == "postgresql":
            written = _insert(stage, now, users, deadlines, notes) if users else 0
            _stamp(stamp, now, ids, routed, problems)
        else:  # the demo's SQLite has no arrays to insert from
            written = _insert_each(stage, now, users, deadlines, notes) if users else 0
            _stamp_each(stamp, now, ids, routed, problems)
        outbox.nudge()
    return len(batch), written, after


def _note(stage, via):
    """What a message adds when it reached someone other than the owners the rule names."""
    if via == MANAGERS and stage != Stage.ESCALATION:
        return " Nobody holds the role that owns it, so you are told as its manager."
    if via == DUTY:
        return (
            " Nobody on its escalation route can be told, so you are told as the duty manager:"
            " please make sure someone holds it."
        )
    return ""


# The due moment as the message says it, local time: to_char's form of Python's
# "%a %-d %b %Y at %H:%M" ("Tue 24 Nov 2026 at 17:00"; Dy and Mon are English whatever the
# server's locale, as they lack the TM prefix).
DUE_FORMAT = 'Dy FMDD Mon YYYY "at" HH24:MI'


def _insert(stage, now, users, deadlines, notes):
    """Write the batch's messages in one statement from column arrays (no model instance per
    message), their text made from each deadline's own row. ON CONFLICT DO NOTHING: the unique
    (deadline, stage, person) refuses a second message, so a rerun writes only what is
    missing. Returns the number written."""
    prefix, sentence = WORDS[stage]
    before, after = sentence.split("{due}")
    with connection.cursor() as cursor:
        # Only table names go into the text; every value is a parameter.
        cursor.execute(
            f"""
            INSERT INTO {Notification._meta.db_table} (
                user_id, deadline_id, stage, title, body, url, created_at, read_at,
                email_status, email_attempts, email_next_attempt_at, email_error, emailed_at)
            SELECT m.user_id, d.id, %(stage)s,
                   left(%(prefix)s || ': ' || t.name || ' for ' || d.case_label, 200),
                   t.name || ' for ' || d.case_label || ' ' || %(before)s
                     || to_char(d.due_at AT TIME ZONE %(tz)s, %(format)s) || %(after)s
                     || m.note,
                   d.case_url, %(now)s, NULL, %(pending)s, 0, %(queued)s, '', NULL
            FROM unnest(%(users)s::bigint[], %(deadlines)s::bigint[], %(notes)s::text[])
                 AS m(user_id, deadline_id, note)
            JOIN {Deadline._meta.db_table} d ON d.id = m.deadline_id
            JOIN {Timescale._meta.db_table} t ON t.id = d.timescale_id
            ON CONFLICT DO NOTHING
            """,  # noqa: S608
            {
                "stage": stage,
                "prefix": prefix,
                "before": before,
                "after": after,
                "tz": timezone.get_current_timezone_name(),
                "format": DUE_FORMAT,
                "now": now,
                "pending": Notification.Email.PENDING,
                # Queued for the outbox now (the real time), as of whatever `now` the sweep
                # was given.
                "queued": timezone.now(),
                "users": users,
                "deadlines": deadlines,
                "notes": notes,
            },
        )
        return cursor.rowcount


def words(stage, name: str, case_label: str, due_at, note: str = "") -> tuple[str, str]:
    """A message's title and body in Python: the same words _insert makes in SQL."""
    prefix, sentence = WORDS[stage]
    due = timezone.localtime(due_at).strftime("%a %-d %b %Y at %H:%M")
    title = f"{prefix}: {name} for {case_label}"[:200]
    return title, f"{name} for {case_label} {sentence.format(due=due)}{note}"


def _insert_each(stage, now, users, deadlines, notes):
    """_insert for a database without arrays (the demo's SQLite): the same rows, built in
    Python; the number written is what the unique (deadline, stage, person) let in."""
    rows = {
        d["pk"]: d
        for d in Deadline.objects.filter(pk__in=set(deadlines)).values(
            "pk", "case_label", "case_url", "due_at", "timescale__name"
        )
    }
    already = Notification.objects.filter(deadline_id__in=rows, stage=stage)
    before = already.count()
    messages = []
    for user_id, deadline_id, note in zip(users, deadlines, notes, strict=True):
        d = rows[deadline_id]
        title, body = words(stage, d["timescale__name"], d["case_label"], d["due_at"], note)
        messages.append(
            Notification(
                user_id=user_id,
                deadline_id=deadline_id,
                stage=stage,
                title=title,
                body=body,
                url=d["case_url"],
                created_at=now,
            )
        )
    Notification.objects.bulk_create(messages, ignore_conflicts=True)
    return already.count() - before


def _stamp_each(stamp, now, ids, routed, problems):
    """_stamp for a database without arrays: a statement per deadline (the demo's few)."""
    for pk, was_routed, problem in zip(ids, routed, problems, strict=True):
        clock = Deadline.objects.filter(pk=pk)
        if was_routed:
            clock.update(
                **{stamp: now},
                unroutable=False,
                routing_problem=problem or "",
                routing_problem_at=now if problem else None,
            )
        else:
            clock.update(
                unroutable=True,
                routing_problem=problem or "",
                routing_problem_at=Coalesce("routing_problem_at", Value(now)),
            )


def _stamp(stamp, now, ids, routed, problems):
    """One statement for the whole batch. A routed deadline is stamped, and its routing
    problem set (a fallback) or cleared; an unroutable one is not stamped, only raised, since
    when it was first raised. Bookkeeping on the clock, not case data: no history."""
    column = connection.ops.quote_name(stamp)
    with connection.cursor() as cursor:
        # Only the table and a stamp column of STAGES go into the text; values are parameters.
        cursor.execute(
            f"""
            UPDATE {Deadline._meta.db_table} d SET
                {column} = CASE WHEN b.routed THEN %(now)s ELSE d.{column} END,
                unroutable = NOT b.routed,
                routing_problem = coalesce(b.problem, ''),
                routing_problem_at = CASE
                    WHEN NOT b.routed THEN coalesce(d.routing_problem_at, %(now)s)
                    WHEN b.problem IS NOT NULL THEN %(now)s
                END
            FROM unnest(%(ids)s::bigint[], %(routed)s::boolean[], %(problems)s::text[])
                 AS b(id, routed, problem)
            WHERE d.id = b.id
            """,  # noqa: S608
            {"now": now, "ids": ids, "routed": routed, "problems": problems},
        )
