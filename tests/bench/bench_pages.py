"""Benchmark of every list, agenda and case page at national scale, on PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python -m tests.bench.bench_pages \
        [--schools 24000 --small 10000 --large 100000 --users 20 --seconds 20]

Builds its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sr_bench_pages; its name must contain 'bench'; dropped and
rebuilt unless --reuse): `schools` schools in one authority through the real import_schools
command, the people of every page, and `small` referrals with their records in bulk
(tests/bench/pages_seed.py). It measures every page in-process, grows the seed to `large`
referrals, measures again, then serves the app with gunicorn (config/gunicorn.py, production
settings) and puts `users` concurrent signed-in clients on the five heaviest pages and on a
trivial signed-in page.

Targets: queries the same at both sizes; the large size within 1.5x of the small for every
page; no response over 500 KB; under load each page's p95 within 3x of the trivial page's.

See tests/bench/README.md.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sr_bench_pages"
ROOT = Path(__file__).resolve().parents[2]
# The same key in this process and in gunicorn's, so the sessions made here (whose auth hash
# is keyed on it) are valid there. Random per run: nothing outside the bench database uses it.
SECRET_KEY = "bench-" + secrets.token_hex(32)

MAX_RATIO = 1.5
MAX_KB = 500
MAX_P95_RATIO = 3.0
HEAVIEST = 5


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--schools", type=int, default=24_000, help="schools in the one authority")
    p.add_argument("--small", type=int, default=10_000, help="referrals at the first measure")
    p.add_argument("--large", type=int, default=100_000, help="referrals at the second measure")
    p.add_argument("--users", type=int, default=20, help="concurrent clients under load")
    p.add_argument(
        "--seconds", type=float, default=20, help="length of each run under load, in seconds"
    )
    p.add_argument("--repeat", type=int, default=5, help="timed in-process requests per page")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (WEB_CONCURRENCY); default config/gunicorn.py's (4)",
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="the benchmark's own database (its name must contain 'bench'); "
        "default $BENCH_DATABASE_URL or " + DEFAULT_URL,
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep an existing seed of the same --schools: one at --small is measured, grown "
        "and measured again; one already at --large is measured at --large only",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="try it out: --schools 2400 --small 1000 --large 10000 --users 5 --seconds 5 "
        "--repeat 3",
    )
    p.add_argument(
        "--each-alone",
        action="store_true",
        help="after the target run, also put all the clients on each page alone in turn",
    )
    p.add_argument("--no-load", action="store_true", help="skip the run under gunicorn")
    args = p.parse_args(argv)
    if args.quick:
        args.schools, args.small, args.large = 2400, 1000, 10_000
        args.users, args.seconds, args.repeat = 5, 5, 3
    from tests.bench import pages_seed

    least = pages_seed.FIRST_GENERIC
    if not least <= args.small <= args.large:
        p.error(f"need {least} <= --small <= --large")
    if args.schools < 1 + pages_seed.AGENDA_SCHOOLS + pages_seed.PANELS:
        p.error("--schools is too small for the agenda's schools")
    if args.repeat < 1 or args.users < 1 or args.seconds <= 0:
        p.error("--repeat and --users must be at least 1, --seconds above 0")
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
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # never run a task in-process
    os.environ["DEBUG"] = "0"  # no query log, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False


def vacuum():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def read_meta():
    from tests.bench.pages_seed import sql

    sql("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
    # Django's connection hands jsonb back as text (JSONField decodes it itself).
    return {key: json.loads(value) for key, value in sql("SELECT key, value::text FROM bench_meta")}


def write_meta(**values):
    from tests.bench.pages_seed import sql

    sql("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
    for key, value in values.items():
        sql(
            "INSERT INTO bench_meta VALUES (%s, %s::jsonb) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )


def grow(ids, referrals_now, target, with_agenda=False):
    """Seed referrals up to `target` in all; returns seconds and the split by step."""
    from tests.bench import pages_seed

    started = time.perf_counter()
    first = pages_seed.FIRST_GENERIC + (referrals_now - agenda_size() if referrals_now else 0)
    last = pages_seed.FIRST_GENERIC + target - agenda_size() - 1
    timings = pages_seed.seed_referrals(ids, first, last, with_agenda=with_agenda)
    vacuum()
    checked = pages_seed.check(ids)
    print(f"Checks: {checked}")
    if any(v for k, v in checked.items() if k != "agenda items") or (
        checked["agenda items"] != pages_seed.AGENDA_SCHOOLS
    ):
        sys.exit("the seed is inconsistent: see the checks above")
    return time.perf_counter() - started, timings


def agenda_size():
    from tests.bench import pages_seed

    return pages_seed.AGENDA_SCHOOLS * (pages_seed.AGENDA_HISTORY + 1)


def counts():
    from tests.bench.pages_seed import one

    tables = {
        "referrals": "referrals_schoolreferral",
        "transitions": "referrals_transitionrecord",
        "history rows": "referrals_historicalschoolreferral",
        "deadlines": "notifications_deadline",
        "running": "notifications_deadline WHERE status = 'running'",
        "notifications": "notifications_notification",
        "decisions": "panels_thresholddecision",
        "plans": "referrals_caseplan",
        "actions": "referrals_planaction",
        "school assessments": "school_assessments_schoolassessment",
        "self-assessments": "self_assessments_selfassessment WHERE case_id IS NOT NULL",
        "answers": "self_assessments_answer",
        "summits": "safety_summits_safetysummit",
        "partnership meetings": "safety_summits_schoolpartnershipmeeting",
        "pathway history rows": "(SELECT id FROM school_assessments_historicalschoolassessment "
        "UNION ALL SELECT id FROM self_assessments_historicalselfassessment "
        "UNION ALL SELECT id FROM safety_summits_historicalsafetysummit "
        "UNION ALL SELECT id FROM safety_summits_historicalschoolpartnershipmeeting) AS h",
    }
    return {k: one(f"SELECT count(*) FROM {t}") for k, t in tables.items()}


# ------------------------------------------------------------------------------------ pages


@dataclass
class Page:
    label: str
    url_name: str
    user: str
    args: list = field(default_factory=list)
    trivial: bool = False


def pages(ids):
    """Every list, agenda and case page, as the person it is for; objects from the seed."""
    from referrals.models import SchoolReferral

    # A case of the busiest lead, in progress (plan, actions, clocks), from the first seed so
    # the same case is measured at both sizes.
    case = (
        SchoolReferral.objects.filter(state="in_progress", lead_practitioner_id=ids["lead1"])
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        Page("Referral list (front door)", "referral_list", "front_door"),
        Page("Referral list (panel chair)", "referral_list", "chair"),
        Page("Referral list (DSL)", "referral_list", "dsl"),
        Page("Referral list closed (front door)", "referral_list", "front_door", ["?show=closed"]),
        Page("Front-door queue", "front_door_queue", "front_door"),
        Page("Caseload (team manager)", "caseload", "manager"),
        Page("Caseload (lead)", "caseload", "lead1"),
        Page("My actions (partner)", "my_actions", "partner"),
        Page("My actions (lead)", "my_actions", "lead1"),
        Page("Deadlines: mine (lead)", "my_deadlines", "lead1"),
        Page("Deadlines: team (manager)", "team_deadlines", "manager"),
        Page("Inbox (front door)", "inbox", "front_door"),
        Page("Panels home (chair)", "panels_home", "chair"),
        Page("Panel page (chair)", "panel_detail", "chair", [ids["panels"][0]]),
        Page("Meeting agenda (chair)", "meeting_detail", "chair", [ids["meeting"]]),
        Page("Meeting agenda (member)", "meeting_detail", "member1", [ids["meeting"]]),
        Page("School Assessments list (lead)", "school_assessment_list", "lead1"),
        Page("Self-assessments list (DSL)", "self_assessment_list", "dsl"),
        Page("Safety summits list (lead)", "safety_summit_list", "lead1"),
        Page("Partnership meetings list (lead)", "partnership_meeting_list", "lead1"),
        Page("Case page (lead)", "referral_detail", "lead1", [case]),
        Page("Case history (lead)", "referral_history", "lead1", [case]),
        Page("Case plan (lead)", "case_plan", "lead1", [case]),
        Page("Declare a conflict (member)", "conflict_new", "member1"),
        Page("Start page (partner)", "home", "partner", trivial=True),
        Page("Inbox, empty (duty manager)", "inbox", "duty", trivial=True),
    ]


def url_of(page):
    from django.urls import reverse

    query = ""
    args = list(page.args)
    if args and isinstance(args[-1], str) and args[-1].startswith("?"):
        query = args.pop()
    return reverse(page.url_name, args=args) + query


def counting(into):
    """An execute_wrapper that keeps (ms, sql) of every query."""

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            into.append(((time.perf_counter() - started) * 1000, sql))

    return count


@dataclass
class Measure:
    status: int
    queries: int
    ms: float
    kb: float
    slowest: list = field(default_factory=list)  # [(ms, sql)] of the counted request


def measure_pages(page_list, ids, repeat):
    """Each page through the test Client, signed in with force_login: warmed once, queries
    counted on one request, then the median of `repeat` timed requests."""
    from django.db import connection
    from django.test import Client

    clients = {}
    results = {}
    for page in page_list:
        if page.user not in clients:
            from accounts.models import User

            clients[page.user] = Client()
            clients[page.user].force_login(User.objects.get(pk=ids[page.user]))
        client = clients[page.user]
        try:
            url = url_of(page)
        except Exception as exc:  # a page renamed or removed on another branch
            print(f"  {page.label}: no URL ({exc.__class__.__name__}: {exc})")
            continue
        response = client.get(url)
        # Counted with a wrapper: the test Client's request_started resets the query log
        # that CaptureQueriesContext reads.
        captured = []
        with connection.execute_wrapper(counting(captured)):
            response = client.get(url)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        ms = statistics.median(times)
        results[page.label] = Measure(
            response.status_code,
            len(captured),
            ms,
            len(response.content) / 1024,
            sorted(captured, key=lambda q: q[0], reverse=True)[:3],
        )
        print(f"  {page.label}: {response.status_code}, {len(captured)} queries, {ms:.0f} ms")
    return results


def short(statement):
    """A query without its column list (SELECT ... FROM ...), on one line."""
    text = " ".join(statement.split())
    if text.startswith("SELECT ") and " FROM " in text:
        text = "SELECT ... " + text[text.index(" FROM ") + 1 :]
    return text[:400]


def print_table(page_list, small, large, sizes):
    small_label, large_label = (f"{n // 1000}k" if n >= 1000 else str(n) for n in sizes)
    head = (
        f"{'page':38} {'status':>6} {'q ' + small_label:>7} {'q ' + large_label:>7} "
        f"{'ms ' + small_label:>8} {'ms ' + large_label:>8} {'ratio':>6} {'KB':>7}  "
        "queries  ratio  size"
    )
    print(head)
    print("-" * len(head))
    failures = []
    for page in page_list:
        s, b = small.get(page.label), large.get(page.label)
        if b is None:
            continue
        q_ok = s is None or s.queries == b.queries
        ratio = b.ms / s.ms if s else None
        r_ok = ratio is None or ratio <= MAX_RATIO
        k_ok = b.kb <= MAX_KB and (s is None or s.kb <= MAX_KB)
        ok_status = b.status == 200 and (s is None or s.status == 200)
        verdicts = [
            "PASS" if q_ok else "FAIL",
            "-" if ratio is None else ("PASS" if r_ok else "FAIL"),
            "PASS" if k_ok else "FAIL",
        ]
        print(
            f"{page.label[:38]:38} {b.status:>6} {s.queries if s else '-':>7} {b.queries:>7} "
            f"{f'{s.ms:.0f}' if s else '-':>8} {b.ms:>8.0f} "
            f"{f'{ratio:.2f}' if ratio else '-':>6} {b.kb:>7.1f}  "
            f"{verdicts[0]:7}  {verdicts[1]:5}  {verdicts[2]}"
        )
        if not (q_ok and r_ok and k_ok and ok_status):
            failures.append(page.label)
    return failures


# ------------------------------------------------------------------------------ under load


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user_pk):
    """A signed-in session made directly in the session store, as the sign-in would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(pk=user_pk)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # not axes, first
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # And the second step (accounts/mfa.py), as after a code from the person's app.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def start_gunicorn(url, port, workers):
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        AUDIT_LOG_KEY=SECRET_KEY[::-1],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "bench_pages_static"),
        DATABASE_URL=url,
        PORT=str(port),
        LOG_LEVEL="WARNING",
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    # Production serves the collected, hashed files (WhiteNoise): build them first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # gunicorn's access log (one line a request) and errors, outside the work tree.
    log = open(Path(tempfile.gettempdir()) / "bench_pages_gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            status, _ = get(port, "/healthz", "")
            if status:
                return process, log
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    sys.exit("gunicorn did not answer within 60 s")


def stop_gunicorn(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "GET",
            path,
            headers={"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
        )
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def hammer(port, path, cookie, users, seconds):
    """`users` threads request `path` back to back for `seconds`; every latency in ms."""
    stop_at = time.monotonic() + seconds
    latencies, statuses = [], {}
    lock = threading.Lock()

    def client():
        mine, seen = [], {}
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = get(port, path, cookie)
            except (OSError, http.client.HTTPException) as exc:
                # A worker killed at gunicorn's timeout drops the connection: counted, and
                # timed, as a failed request.
                status = exc.__class__.__name__
            mine.append((time.perf_counter() - started) * 1000)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in seen.items():
                statuses[k] = statuses.get(k, 0) + v

    with ThreadPoolExecutor(users) as pool:
        for future in [pool.submit(client) for _ in range(users)]:
            future.result()
    return latencies, statuses


def settle(port, path, cookie, limit=180):
    """Wait until the workers have finished what the previous page left queued (requests
    its clients gave up on are still served): the trivial page answers within a second."""
    until = time.monotonic() + limit
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            get(port, path, cookie)
        except (OSError, http.client.HTTPException):
            continue
        if time.perf_counter() - started < 1:
            return


def percentiles(latencies):
    if len(latencies) < 2:
        return (latencies or [0])[0], (latencies or [0])[0], (latencies or [0])[0]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed_get(port, path, cookie):
    """(status, ms) of one request; a dropped connection (a worker killed at gunicorn's
    timeout) is counted, and timed, as a failed request."""
    started = time.perf_counter()
    try:
        status, _ = get(port, path, cookie)
    except (OSError, http.client.HTTPException) as exc:
        status = exc.__class__.__name__
    return status, (time.perf_counter() - started) * 1000


def mixed(port, heaviest, trivial, cookies, users, seconds):
    """The target run: `users` threads each go round the heaviest pages and the trivial page
    (each thread starting at a different one) back to back for `seconds`, so the trivial page
    is asked for as often as each heavy page, in the same run, and measures what every
    request waits for there. {page label: ([ms], {status: n})}."""
    stop_at = time.monotonic() + seconds
    rounds = [trivial, *heaviest]
    results = {p.label: ([], {}) for p in rounds}
    lock = threading.Lock()

    def user(offset):
        n = offset
        while time.monotonic() < stop_at:
            page = rounds[n % len(rounds)]
            status, ms = timed_get(port, url_of(page), cookies[page.user])
            with lock:
                latencies, statuses = results[page.label]
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1
            n += 1

    with ThreadPoolExecutor(users) as pool:
        for future in [pool.submit(user, i) for i in range(users)]:
            future.result()
    return results


def print_load(title, rows, seconds, judged):
    """One table of p50/p95/p99 and each p95 against the trivial page's (the first row)."""
    base = percentiles(rows[0][1])
    print(title)
    head = (
        f"{'page':38} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'p95/trivial':>11}  target"
    )
    print(head)
    print("-" * len(head))
    failures = []
    for i, (page, latencies, statuses) in enumerate(rows):
        p50, p95, p99 = percentiles(latencies)
        ratio = p95 / base[1] if base[1] else float("inf")
        ok = ratio <= MAX_P95_RATIO and set(statuses) == {200}
        bad = "" if set(statuses) == {200} else f"  statuses {statuses}"
        verdict = "(trivial)" if i == 0 else ("PASS" if ok else "FAIL") if judged else ""
        print(
            f"{page.label[:38]:38} {len(latencies):>8} {len(latencies) / seconds:>6.1f} "
            f"{p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {ratio:>11.2f}  {verdict}{bad}"
        )
        if judged and i and not ok:
            failures.append(f"{page.label} under load")
    return failures


def load_run(args, page_list, ids, heaviest, trivial):
    from django.db import connection

    port = free_port()
    cookies = {key: session_cookie(ids[key]) for key in {p.user for p in page_list}}
    connection.close()  # gunicorn's workers and this process share the database
    process, log = start_gunicorn(args.database_url, port, args.workers)
    workers = args.workers or 4
    print(
        f"\nUnder load: gunicorn -c config/gunicorn.py config.wsgi, {workers} sync workers, "
        f"DJANGO_ENV=production, DEBUG=0; {args.users} concurrent clients, "
        f"{args.seconds:g} s a run."
    )
    alone = []
    try:
        settle(port, url_of(trivial), cookies[trivial.user])
        for page in [trivial, *heaviest]:  # warm each code path
            timed_get(port, url_of(page), cookies[page.user])
        together = mixed(port, heaviest, trivial, cookies, args.users, args.seconds)
        total = sum(len(latencies) for latencies, _ in together.values())
        print(f"  the heaviest pages together: {total} requests", flush=True)
        if args.each_alone:
            for page in [trivial, *heaviest]:
                settle(port, url_of(trivial), cookies[trivial.user])
                latencies, statuses = hammer(
                    port, url_of(page), cookies[page.user], args.users, args.seconds
                )
                alone.append((page, latencies, statuses))
                print(f"  {page.label} alone: {len(latencies)} requests", flush=True)
    finally:
        stop_gunicorn(process)
        log.close()
    print(f"gunicorn's log: {log.name} (a worker timeout shows there as WORKER TIMEOUT)")
    rows = [(p, *together[p.label]) for p in [trivial, *heaviest]]
    failures = print_load(
        f"\nThe {len(heaviest)} heaviest pages together ({args.users} clients going round "
        "them and the trivial page, in the same run):",
        rows,
        args.seconds,
        judged=True,
    )
    if alone:
        print_load(
            f"\nEach page alone ({args.users} clients on it and nothing else; not the "
            "target: the ratio is then that page's own cost against the trivial page's):",
            alone,
            args.seconds,
            judged=False,
        )
    return failures


# ------------------------------------------------------------------------------------- main


def main(argv=None):
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even to a file
    wall = time.perf_counter()
    url = args.database_url
    name = ensure_database(url, rebuild=False)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    from tests.bench import pages_seed

    call_command("migrate", verbosity=0)
    meta = read_meta() if args.reuse else {}
    reuse = meta.get("schools") == args.schools and meta.get("referrals") in (
        args.small,
        args.large,
    )
    if reuse:
        ids = meta["ids"]
        print(
            f"Reusing the seed in {name}: {args.schools:,} schools, "
            f"{meta['referrals']:,} referrals."
        )
    else:
        connection.close()
        ensure_database(url, rebuild=True)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        ids = pages_seed.seed_organisation(args.schools)
        took = time.perf_counter() - started
        print(
            f"Seeded {name}: {args.schools:,} schools (import_schools "
            f"{ids['timings']['import_schools_s']:.1f} s), people and panels in {took:.1f} s."
        )
        seconds, split = grow(ids, 0, args.small, with_agenda=True)
        write_meta(schools=args.schools, referrals=args.small, ids=ids)
        meta = {"referrals": args.small}
        print(
            f"Seeded {args.small:,} referrals in {seconds:.1f} s "
            f"({', '.join(f'{k} {v:.1f}' for k, v in split.items())})."
        )
    print(
        f"PostgreSQL {pages_seed.one('SHOW server_version')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    )
    page_list = pages(ids)
    small = {}
    if meta["referrals"] == args.small:
        print(f"\nAt {args.small:,} referrals: {counts()}")
        small = measure_pages(page_list, ids, args.repeat)
        if args.large > args.small:
            seconds, split = grow(ids, args.small, args.large)
            write_meta(referrals=args.large)
            print(
                f"\nGrew to {args.large:,} referrals in {seconds:.1f} s "
                f"({', '.join(f'{k} {v:.1f}' for k, v in split.items())})."
            )
    print(f"\nAt {args.large:,} referrals: {counts()}")
    large = measure_pages(page_list, ids, args.repeat)

    print(
        f"\nIn-process (django.test.Client, force_login, DEBUG=0), median of {args.repeat}; "
        f"targets: queries equal, ratio <= {MAX_RATIO}, <= {MAX_KB} KB; "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    failures = print_table(page_list, small, large, (args.small, args.large))
    slow = [p for p in page_list if p.label in failures and p.label in large]
    if slow:
        print("\nThe slowest queries of each page that missed a target (one request, large):")
        for page in slow:
            print(f"  {page.label}:")
            for ms, statement in large[page.label].slowest:
                print(f"    {ms:7.1f} ms  {short(statement)}")
    trivial = min(
        (p for p in page_list if p.trivial and p.label in large),
        key=lambda p: large[p.label].ms,
    )
    print(f"\nThe trivial page: {trivial.label} ({large[trivial.label].ms:.0f} ms in-process).")
    if not args.no_load:
        ranked = sorted(
            (
                p
                for p in page_list
                if not p.trivial and large.get(p.label) and large[p.label].status == 200
            ),
            key=lambda p: large[p.label].ms,
            reverse=True,
        )
        failures += load_run(args, page_list, ids, ranked[:HEAVIEST], trivial)
    print(
        f"\n{len(failures)} page(s) missed a target: {', '.join(failures) or 'none'}. "
        f"Total {time.perf_counter() - wall:.0f} s; load average {os.getloadavg()[0]:.2f}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
