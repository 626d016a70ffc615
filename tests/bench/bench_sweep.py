"""Benchmark of the reminder sweep against its floor, on PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python -m tests.bench.bench_sweep \
        [--total 1000000 --due 10000 --due-large 100000] [--cpu-load N]

Seeds its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sr_bench,
created if missing, dropped and rebuilt on every seed) with `total` running deadlines of which
exactly `due` have a reminder due, then times:

- the sweep, notifications.sweep.run_sweep(now), wall clock;
- the floor: one transaction of plain SQL that selects the same due rows (same predicate, same
  row locks), inserts the same notifications (same columns, same text, same recipients) and
  stamps reminded_at;
- their ratio (target: the sweep within 3 times the floor);
- a sweep with nothing due (all `total` rows still running), to show the fixed cost;
- the sweep and the floor again with `due-large` due, to show cost follows due rows;
- all of that again while N processes burn CPU in busy loops (--cpu-load, default: one per
  core; 0 skips it), to show the ratio holds on a busy machine.

Emails: CELERY_TASK_ALWAYS_EAGER is forced off and notifications.outbox.nudge is
patched to a no-op that only counts its calls while timing, so no email task is queued or run
inside the timing (in production it only queues a Celery task on commit).

See tests/bench/README.md.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import statistics
import sys
import time
import zoneinfo
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sr_bench"

# A fixed "now" (a Wednesday morning, London time) so that runs are reproducible: the sweep
# takes `now` as an argument and nothing in it reads the real clock except SweepRun's stamps.
NOW = dt.datetime(2026, 1, 14, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))

AUTHORITY_CODE = "999"
# About one deadline in ten has a named owner (one recipient: the lead); the rest belong to
# the front door (two officers). Chosen by a multiplicative hash of the id so that it does not
# line up with the evenly spread due set.
HAS_OWNER = "({id}::bigint * 2654435761 %% 4294967296) < 429496730"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--total", type=int, default=1_000_000, help="running deadlines seeded")
    p.add_argument("--due", type=int, default=10_000, help="reminders due in the main run")
    p.add_argument("--due-large", type=int, default=100_000, help="reminders due in the 2nd run")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each measure (median)")
    p.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="the benchmark's own database (its name must contain 'bench'); "
        "default $BENCH_DATABASE_URL or " + DEFAULT_URL,
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep an existing seed of the same --total instead of rebuilding the database",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="also run one sweep (with --due due) under cProfile and print the hot spots",
    )
    p.add_argument(
        "--cpu-load",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="time the sweep and the floor again while N busy-loop processes burn CPU "
        "(default: one per core, %(default)s here; 0: quiet runs only)",
    )
    args = p.parse_args(argv)
    if not 0 < args.due <= args.due_large <= args.total:
        p.error("need 0 < --due <= --due-large <= --total")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if args.cpu_load < 0:
        p.error("--cpu-load must be 0 or more")
    return args


# --------------------------------------------------------------------------- database set-up


def ensure_database(url, rebuild):
    """Create the benchmark database if missing (drop it first when rebuilding)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to use database {name!r}: its name must contain 'bench'")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def setup_django(url):
    os.environ["DATABASE_URL"] = url  # config.settings reads it
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # never run a task in-process
    os.environ.setdefault("DEBUG", "0")  # no query log, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False


def sql(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.description:
            return cursor.fetchall()
    return None


def one(statement, params=None):
    return sql(statement, params)[0][0]


def vacuum(*tables):
    from django.db import connection

    # VACUUM cannot run in a transaction block; Django's connection is in autocommit here.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


# ------------------------------------------------------------------------------------ seeding

# Every row's reminder, due and escalation moments, a function of its id: reminders spread
# over the week ahead, due a day after, escalation a day after that. A due row has its
# reminder moved into the past (spread over the last day) and keeps its due_at in the future,
# so exactly the due rows get a reminder and nothing else is due.
FUTURE_REMINDER = (
    "%(now)s + interval '1 hour' + (({id}::bigint * 7919) %% 10080) * interval '1 minute'"
)
PAST_REMINDER = "%(now)s - (1 + ({id}::bigint * 7919) %% 1440) * interval '1 minute'"


def seed(total):
    """Organisation, people and memberships through the ORM; the deadlines in plain SQL."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import (
        AuthorityMembership,
        AuthorityRole,
        LocalAuthority,
        School,
        SchoolMembership,
        SchoolRole,
        Team,
        TeamMembership,
        TeamRole,
        User,
    )
    from notifications.catalogue import seed_timescales
    from notifications.models import Timescale

    authority = LocalAuthority.objects.create(code=AUTHORITY_CODE, name="Benchmark Borough")
    team = Team.objects.create(authority=authority, name="Front door", is_front_door=True)
    users = {
        key: User.objects.create_user(email=f"{key}@bench.invalid", full_name=key.title())
        for key in ("frontdoor1", "frontdoor2", "admin", "manager", "lead", "dsl")
    }
    for key in ("frontdoor1", "frontdoor2"):
        AuthorityMembership.objects.create(
            user=users[key], authority=authority, role=AuthorityRole.FRONT_DOOR
        )
    AuthorityMembership.objects.create(
        user=users["admin"], authority=authority, role=AuthorityRole.ADMINISTRATOR
    )
    TeamMembership.objects.create(user=users["manager"], team=team, role=TeamRole.MANAGER)
    TeamMembership.objects.create(user=users["lead"], team=team, role=TeamRole.PRACTITIONER)
    for i in range(3):
        school = School.objects.create(
            urn=f"{900001 + i}",
            name=f"Benchmark School {i + 1}",
            authority=authority,
            la_code=AUTHORITY_CODE,
            la_name=authority.name,
        )
        if i == 0:
            SchoolMembership.objects.create(user=users["dsl"], school=school, role=SchoolRole.DSL)
    seed_timescales(authority)
    timescale = Timescale.objects.get(authority=authority, key="screening_decision")
    referral_type = ContentType.objects.get_by_natural_key("referrals", "schoolreferral")

    future = FUTURE_REMINDER.format(id="g")
    has_owner = HAS_OWNER.format(id="g")
    sql(
        f"""
        INSERT INTO notifications_deadline (
            timescale_id, authority_id, case_type_id, case_id, case_label, case_url,
            subject_type_id, subject_id, owner_role, owner_id, school_id, panel_id, team_id,
            started_at, due_at, reminder_at, escalation_at, status, stopped_at, on_time,
            stop_reason, reminded_at, alerted_at, escalated_at, routing_problem, unroutable)
        SELECT %(timescale)s, %(authority)s, %(ct)s, g, 'SR-' || lpad(g::text, 7, '0'),
               '/referrals/' || g || '/',
               %(ct)s, g,
               CASE WHEN {has_owner} THEN 'lead' ELSE 'front_door' END,
               CASE WHEN {has_owner} THEN %(lead)s END,
               NULL, NULL, %(team)s,
               {future} - interval '3 days', {future} + interval '1 day', {future},
               {future} + interval '2 days', 'running', NULL, NULL, '', NULL, NULL, NULL,
               '', false
        FROM generate_series(1, %(total)s) AS g
        """,
        {
            "now": NOW,
            "timescale": timescale.pk,
            "authority": authority.pk,
            "ct": referral_type.pk,
            "lead": users["lead"].pk,
            "team": team.pk,
            "total": total,
        },
    )
    vacuum("notifications_deadline")


def seeded_total():
    try:
        if not one(
            "SELECT count(*) FROM accounts_localauthority WHERE code = %s", [AUTHORITY_CODE]
        ):
            return None
        return one("SELECT count(*) FROM notifications_deadline")
    except Exception:  # any failure means: not seeded
        return None


def due_ids_predicate(n, total):
    """Exactly n ids out of 1..total, spread evenly through the table."""
    step = total // n
    return f"id %% {step} = 0 AND id <= {step * n}"


def prepare(n, total):
    """Make exactly n reminders due and nothing sent: no notifications, no stamps."""
    sql("TRUNCATE notifications_notification, notifications_sweeprun")
    sql(
        f"UPDATE notifications_deadline SET reminder_at = {FUTURE_REMINDER.format(id='id')} "
        "WHERE reminder_at <= %(now)s",
        {"now": NOW},
    )
    sql(
        "UPDATE notifications_deadline SET reminded_at = NULL, alerted_at = NULL, "
        "escalated_at = NULL WHERE reminded_at IS NOT NULL OR alerted_at IS NOT NULL "
        "OR escalated_at IS NOT NULL"
    )
    sql(
        f"UPDATE notifications_deadline SET reminder_at = {PAST_REMINDER.format(id='id')} "
        f"WHERE {due_ids_predicate(n, total)}",
        {"now": NOW},
    )
    vacuum("notifications_deadline", "notifications_notification")
    sql("CHECKPOINT")
    counts = sql(
        """
        SELECT count(*) FILTER (WHERE reminder_at <= %(now)s AND reminded_at IS NULL),
               count(*) FILTER (WHERE due_at <= %(now)s AND alerted_at IS NULL),
               count(*) FILTER (WHERE escalation_at <= %(now)s AND escalated_at IS NULL),
               count(*)
        FROM notifications_deadline WHERE status = 'running'
        """,
        {"now": NOW},
    )[0]
    assert counts[:3] == (n, 0, 0), f"expected {n} reminders and nothing else due, got {counts}"
    return counts[3]


# ----------------------------------------------------------------------------------- measures


@contextmanager
def no_email():
    """outbox.nudge would queue a Celery task on commit: count the calls, queue nothing."""
    from notifications import outbox

    calls = []
    with mock.patch.object(outbox, "nudge", lambda: calls.append(1)):
        yield calls


PHASES = [
    ("select", "select due batch (locked, plain tuples)"),
    ("recipients", "owners.recipients()"),
    ("insert", "sweep._insert(): INSERT ... FROM unnest"),
    ("stamp", "sweep._stamp(): UPDATE ... FROM unnest"),
    ("commit", "COMMIT (one per batch)"),
    ("other", "other (arrays, SweepRun, empty stages, loop)"),
]


class Phases:
    """Wall time of each step of the sweep, and of it the time inside cursor.execute.

    Wraps (never changes) the functions the sweep calls; used only for the split run, whose
    time is not part of the medians."""

    def __init__(self):
        self.seconds = dict.fromkeys((key for key, _ in PHASES), 0.0)
        self.sql = dict.fromkeys(self.seconds, 0.0)
        self.current = ["other"]

    def wrap(self, key, function, when=None):
        def timed(*args, **kwargs):
            if when is not None and not when(*args):
                return function(*args, **kwargs)
            self.current.append(key)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - started
                self.current.pop()

        return timed

    def execute(self, execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            self.sql[self.current[-1]] += time.perf_counter() - started

    @contextmanager
    def installed(self):
        from django.db import connections
        from django.db.models.query import QuerySet

        from notifications import sweep

        connection = connections["default"]
        with (
            mock.patch.object(
                QuerySet,
                "_fetch_all",
                self.wrap("select", QuerySet._fetch_all, lambda qs: qs.query.select_for_update),
            ),
            mock.patch.object(sweep, "recipients", self.wrap("recipients", sweep.recipients)),
            mock.patch.object(sweep, "_insert", self.wrap("insert", sweep._insert)),
            mock.patch.object(sweep, "_stamp", self.wrap("stamp", sweep._stamp)),
            mock.patch.object(connection, "commit", self.wrap("commit", connection.commit)),
            connection.execute_wrapper(self.execute),
        ):
            yield self

    def finish(self, total):
        self.seconds["other"] = total - sum(v for k, v in self.seconds.items() if k != "other")
        self.sql["commit"] = self.seconds["commit"]  # spent waiting on the server


def time_sweep(split=False):
    from notifications.models import Notification
    from notifications.sweep import run_sweep

    before = Notification.objects.count()
    phases = Phases()
    with no_email() as calls:
        if split:
            with phases.installed():
                started = time.perf_counter()
                run = run_sweep(NOW)
                seconds = time.perf_counter() - started
            phases.finish(seconds)
        else:
            started = time.perf_counter()
            run = run_sweep(NOW)
            seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        # The run counts the messages it wrote; the stamps are read back.
        "deadlines": one(
            "SELECT count(*) FROM notifications_deadline WHERE reminded_at = %s", [NOW]
        ),
        "counted": run.reminders + run.alerts + run.escalations,
        "notifications": Notification.objects.count() - before,
        "email_hooks": len(calls),
        "phases": phases,
    }


FLOOR_SQL = """
WITH due AS MATERIALIZED (
    SELECT id, authority_id, timescale_id, owner_id, owner_role, case_label, case_url, due_at
    FROM notifications_deadline
    WHERE status = 'running' AND reminder_at <= %(now)s AND reminded_at IS NULL
      AND due_at > %(now)s  -- a reminder coming due after its deadline is neither sent nor stamped
    FOR UPDATE SKIP LOCKED
), message AS MATERIALIZED (
    SELECT d.id, d.authority_id, d.owner_id, d.owner_role, d.case_url,
           left('Reminder: ' || t.name || ' for ' || d.case_label, 200) AS title,
           t.name || ' for ' || d.case_label || ' is due '
             || to_char(d.due_at AT TIME ZONE %(tz)s, 'Dy FMDD Mon YYYY "at" HH24:MI')
             || '.' AS body
    FROM due d JOIN notifications_timescale t ON t.id = d.timescale_id
), sent AS (
    INSERT INTO notifications_notification
        (user_id, deadline_id, stage, title, body, url, created_at, email_status,
         email_attempts, email_next_attempt_at, email_error)
    SELECT r.user_id, m.id, 'reminder', m.title, m.body, m.case_url, %(now)s, 'pending',
           0, %(now)s, ''
    FROM message m
    CROSS JOIN LATERAL (
        SELECT m.owner_id AS user_id WHERE m.owner_id IS NOT NULL
        UNION ALL
        SELECT am.user_id FROM accounts_authoritymembership am
        WHERE m.owner_id IS NULL AND m.owner_role = 'front_door'
          AND am.authority_id = m.authority_id AND am.role = 'front_door'
    ) r
    ON CONFLICT DO NOTHING
    RETURNING 1
), stamped AS (
    UPDATE notifications_deadline dl SET reminded_at = %(now)s
    FROM due WHERE dl.id = due.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM stamped), (SELECT count(*) FROM sent)
"""


def time_floor():
    from django.conf import settings
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        deadlines, notifications = sql(FLOOR_SQL, {"now": NOW, "tz": settings.TIME_ZONE})[0]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "deadlines": deadlines, "notifications": notifications}


def fingerprint():
    """What was written: every notification's content and every stamp, as one hash."""
    return sql(
        """
        SELECT count(*), md5(coalesce(string_agg(
            concat_ws('|', deadline_id, user_id, stage, title, body, url, created_at,
                      email_status, read_at, email_attempts, emailed_at),
            E'\n' ORDER BY deadline_id, user_id, stage), ''))
        FROM notifications_notification
        """
    )[0] + (
        one(
            "SELECT md5(coalesce(string_agg(id::text, ',' ORDER BY id), '')) "
            "FROM notifications_deadline WHERE reminded_at = %s",
            [NOW],
        ),
    )


def measure(n, total, repeat, with_nothing_due=False):
    """`repeat` sweeps and floors with n due, alternating, each from a clean state."""
    sweeps, floors, nothing = [], [], []
    prints = set()
    for _ in range(repeat):
        prepare(n, total)
        sweeps.append(time_sweep())
        prints.add(("sweep",) + fingerprint())
        if with_nothing_due:
            nothing.append(time_sweep())  # everything just stamped: nothing is due
        prepare(n, total)
        floors.append(time_floor())
        prints.add(("floor",) + fingerprint())
    same = len({p[1:] for p in prints}) == 1
    return sweeps, floors, nothing, same


def explain_sweep_query():
    """The plan of the sweep's batch query (its first batch of reminders), to show it reads
    the partial index."""
    from notifications import sweep
    from notifications.models import Deadline, DeadlineStatus

    qs = (
        Deadline.objects.filter(
            status=DeadlineStatus.RUNNING,
            reminder_at__lte=NOW,
            reminded_at__isnull=True,
            due_at__gt=NOW,
        )
        .select_for_update(skip_locked=True)
        .order_by("reminder_at", "pk")
        .values_list(*sweep.COLUMNS, "reminder_at")[: sweep.BATCH]
    )
    from django.db import transaction

    with transaction.atomic():  # FOR UPDATE needs a transaction
        return qs.explain()


def profile_sweep(n, total, top=25):
    prepare(n, total)
    profiler = cProfile.Profile()
    with no_email():
        from notifications.sweep import run_sweep

        profiler.enable()
        run_sweep(NOW)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# ---------------------------------------------------------------------------------- CPU load


def _burn():
    while True:
        pass


@contextmanager
def cpu_load(n):
    """n processes spinning on the CPU for as long as the block runs (none if n is 0)."""
    import multiprocessing

    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(n)]
    for burner in burners:
        burner.start()
    try:
        time.sleep(1 if n else 0)  # let the scheduler see them
        yield
    finally:
        for burner in burners:
            burner.terminate()
        for burner in burners:
            burner.join()


# ------------------------------------------------------------------------------------ report


def load():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def med(runs, key="seconds"):
    return statistics.median(r[key] for r in runs)


def fmt_runs(runs):
    return " ".join(f"{r['seconds']:.3f}" for r in runs)


def row(label, due, runs, per_row=True):
    seconds = med(runs)
    notes = runs[0]["notifications"]
    per = f"{seconds / due * 1e6:8.1f} µs" if per_row and due else " " * 11
    return (
        f"{label:<34} {due:>8,} {notes:>9,}  {seconds:>9.3f}  {per}  [{fmt_runs(runs)}]",
        seconds,
    )


def main(argv=None):
    args = parse_args(argv)
    wall = time.perf_counter()
    url = args.database_url
    name = ensure_database(url, rebuild=False)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.reuse and seeded_total() == args.total:
        print(f"Reusing the seed in {name}: {args.total:,} deadlines.")
    else:
        connection.close()
        ensure_database(url, rebuild=True)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed(args.total)
        print(f"Seeded {name}: {args.total:,} deadlines in {time.perf_counter() - started:.1f} s.")

    from notifications import sweep

    version = one("SHOW server_version")
    print(
        f"PostgreSQL {version}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"sweep batch {sweep.BATCH}; now = {NOW:%a %d %b %Y %H:%M %Z}; "
        f"median of {args.repeat} runs each."
    )
    print(f"Load average before timing: {load()}")
    print(
        "Emails: CELERY_TASK_ALWAYS_EAGER off and notifications.outbox.nudge "
        "patched to a counting no-op while timing (no email task queued or run)."
    )

    running = prepare(args.due, args.total)
    plan = explain_sweep_query()
    uses_index = "deadline_reminder_pending" in plan
    print(f"Sweep batch query plan ({'partial index' if uses_index else 'NO partial index'}):")
    print("    " + plan.replace("\n", "\n    "))

    sweeps, floors, nothing, same = measure(
        args.due, args.total, args.repeat, with_nothing_due=True
    )
    big_sweeps, big_floors, _, big_same = measure(args.due_large, args.total, args.repeat)
    loaded = None
    if args.cpu_load:
        print(f"Load average before the loaded runs: {load()}")
        with cpu_load(args.cpu_load):
            small = measure(args.due, args.total, args.repeat)
            big = measure(args.due_large, args.total, args.repeat)
            loaded_load = load()
        loaded = (small, big)
        same = same and small[3] and big[3]

    # One more sweep of each size, its time split by step (not part of the medians above).
    prepare(args.due, args.total)
    split = time_sweep(split=True)
    prepare(args.due_large, args.total)
    big_split = time_sweep(split=True)

    lines = []
    header = (
        f"{'measure':<34} {'due':>8} {'messages':>9}  {'median s':>9}  {'per due':>11}  [runs, s]"
    )
    lines += [header, "-" * len(header)]
    ratios = []

    def pair(label, due, sweep_runs, floor_runs):
        line, sweep_s = row(f"sweep  run_sweep(now){label}", due, sweep_runs)
        lines.append(line)
        line, floor_s = row(f"floor  one SQL transaction{label}", due, floor_runs)
        lines.append(line)
        ratio = sweep_s / floor_s
        ratios.append(ratio)
        lines.append(
            f"{'ratio sweep / floor' + label:<34} {'':>8} {'':>9}  {ratio:>8.2f}x  "
            f"target <= 3x: {'MET' if ratio <= 3 else 'NOT MET'}"
        )
        return sweep_s

    sweep_s = pair("", args.due, sweeps, floors)
    line, _ = row("sweep  nothing due", 0, nothing, per_row=False)
    lines.append(line)
    big_sweep_s = pair("", args.due_large, big_sweeps, big_floors)
    scale = args.due_large / args.due
    lines.append(
        f"{'sweep time x' + f'{scale:g} due rows':<34} {'':>8} {'':>9}  "
        f"{big_sweep_s / sweep_s:>8.2f}x  (total rows unchanged: {running:,})"
    )
    if loaded:
        (small_sweeps, small_floors, _, _), (large_sweeps, large_floors, _, _) = loaded
        lines.append(
            f"Under CPU load: {args.cpu_load} busy-loop processes on {os.cpu_count()} CPUs "
            f"(load average at the end of the loaded runs: {loaded_load})"
        )
        pair(", loaded", args.due, small_sweeps, small_floors)
        pair(", loaded", args.due_large, large_sweeps, large_floors)
    lines.append(
        f"{'worst ratio sweep / floor':<34} {'':>8} {'':>9}  {max(ratios):>8.2f}x  "
        f"target <= 3x in every run: {'MET' if max(ratios) <= 3 else 'NOT MET'}"
    )

    print()
    print(f"Reminder sweep over {running:,} running deadlines")
    print("\n".join(lines))
    print()
    print(
        "Where the sweep's time goes (one more sweep of each size, with wrappers timing each "
        "step; s)"
    )
    head = f"  {'step':<52} {'due':>8}  {'wall':>7} {'in SQL':>7} {'Python':>7}"
    print(head)
    print("  " + "-" * (len(head) - 2))
    for run, due in ((split, args.due), (big_split, args.due_large)):
        phases = run["phases"]
        for key, label in PHASES:
            wall_s, sql_s = phases.seconds[key], phases.sql[key]
            print(f"  {label:<52} {due:>8,}  {wall_s:>7.3f} {sql_s:>7.3f} {wall_s - sql_s:>7.3f}")
        sql_total = sum(phases.sql.values())
        print(
            f"  {'total':<52} {due:>8,}  {run['seconds']:>7.3f} {sql_total:>7.3f} "
            f"{run['seconds'] - sql_total:>7.3f}"
        )
    print("  (COMMIT is not a cursor.execute: its time is all server-side, counted as SQL.)")
    print()
    print(
        f"Email hook calls per sweep: {sweeps[0]['email_hooks']} (one per batch, counted, "
        f"nothing queued). Deadlines stamped: sweep {sweeps[0]['deadlines']:,}, floor "
        f"{floors[0]['deadlines']:,}. Messages the sweep counted: {sweeps[0]['counted']:,}, "
        f"written: {sweeps[0]['notifications']:,}."
    )
    print(
        "Floor writes exactly what the sweep writes (same notifications, same stamps): "
        f"{'yes' if same and big_same else 'NO'}"
    )

    if args.profile:
        print()
        print(f"cProfile of one sweep with {args.due:,} due (times inflated by the profiler):")
        print(profile_sweep(args.due, args.total))

    print(f"Load average after timing: {load()} (other work on the machine adds noise).")
    print(f"Done in {time.perf_counter() - wall:.0f} s.")
    if not (same and big_same):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
