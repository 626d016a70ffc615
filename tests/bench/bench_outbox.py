"""Benchmark of the outbox: 40,000 emails through 2 real Celery workers to a local SMTP sink.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python -m tests.bench.bench_outbox \
        [--messages 40000 --people 2000 --kill-after 0.3]

Seeds its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sr_bench_outbox, dropped and rebuilt on every run) with
`messages` pending emails to `people` people, starts an SMTP sink (aiosmtpd) on a free port
and two `celery worker -P solo` processes on their own Redis database, and asks both to drain
(a stand-in beat asks again every 5 seconds, as the real beat does every minute). It runs
twice: once undisturbed, and once with one worker killed (SIGKILL) when `kill-after` of the
messages have arrived. For each run it prints messages per second, and what the sink saw
against what was expected: missing and duplicated Message-IDs.

Then, in this process, it delivers a further sample through `notifications.outbox.drain` to
the same sink with the two moments of each message timed: when the server accepted it, and
when its "sent" mark committed. That gap is the one window in which a crash sends a message
twice (docs/decisions/0004); it prints its size and its share of a message's whole cycle.

See tests/bench/README.md.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sr_bench_outbox"
DEFAULT_BROKER = "redis://127.0.0.1:6379/9"
ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=40_000, help="emails seeded for each run")
    p.add_argument("--people", type=int, default=2_000, help="people they are spread over")
    p.add_argument("--kill-after", type=float, default=0.3, help="share delivered at the kill")
    p.add_argument("--sample", type=int, default=2_000, help="emails in the timed window sample")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for one run")
    p.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    p.add_argument("--broker-url", default=os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER))
    return p.parse_args(argv)


# --------------------------------------------------------------------------- the SMTP sink


class Sink:
    """Counts every Message-ID the server accepts."""

    def __init__(self):
        self.seen = Counter()
        self.lock = threading.Lock()
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message_id = self.parser.parsebytes(envelope.content)["Message-ID"]
        with self.lock:
            self.seen[message_id] += 1
        return "250 OK"

    def total(self):
        with self.lock:
            return sum(self.seen.values())

    def reset(self):
        with self.lock:
            self.seen.clear()


def start_sink():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (aiosmtpd's controller cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller, port


# --------------------------------------------------------------------------- database


def rebuild_database(url):
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to use database {name!r}: its name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_people(count):
    from accounts.models import User

    User.objects.bulk_create(
        User(email=f"person{n}@bench.example", full_name=f"Person {n}", password="!")
        for n in range(count)
    )


def seed_messages(count):
    """`count` pending emails, spread over everyone, due now; returns their Message-IDs."""
    from django.db import connection

    from notifications.models import Notification

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification")
        cursor.execute(
            """
            INSERT INTO notifications_notification
                (user_id, stage, title, body, url, created_at, email_status, email_attempts,
                 email_next_attempt_at, email_error)
            SELECT u.id, 'message', 'Benchmark message ' || g, 'A message body.', '/inbox/',
                   now(), 'pending', 0, now(), ''
            FROM generate_series(1, %s) AS g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM accounts_user) u
              ON u.n = g %% (SELECT count(*) FROM accounts_user)
            """,
            [count],
        )
        cursor.execute("VACUUM ANALYZE notifications_notification")
    return {m.message_id for m in Notification.objects.only("pk", "created_at")}


# --------------------------------------------------------------------------- workers


def start_workers(env, n=2):
    workers = []
    for i in range(n):
        workers.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/celery"),
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "solo",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return workers


def stop_workers(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def run(args, env, sink, *, kill):
    """One run: seed, start 2 workers, nudge and beat until the sink has every message."""
    from config.celery import app
    from notifications.models import Notification
    from notifications.tasks import drain_outbox

    expected = seed_messages(args.messages)
    sink.reset()
    app.control.purge()
    workers = start_workers(env)
    time.sleep(3)  # the workers connect to the broker
    started = time.monotonic()
    for _ in workers:
        drain_outbox.apply_async(retry=False)
    killed_at = None
    last_beat = started
    while time.monotonic() - started < args.timeout:
        got = sink.total()
        if kill and killed_at is None and got >= args.messages * args.kill_after:
            workers[0].send_signal(signal.SIGKILL)
            killed_at = got
        if (
            len(sink.seen) >= len(expected)
            and not Notification.objects.filter(email_status="pending").exists()
        ):
            break
        if time.monotonic() - last_beat >= 5:  # the beat, sped up
            drain_outbox.apply_async(retry=False)
            last_beat = time.monotonic()
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    stop_workers(workers)
    seen = dict(sink.seen)
    missing = len(expected - set(seen))
    duplicates = sum(count - 1 for count in seen.values() if count > 1)
    strangers = len(set(seen) - expected)
    return {
        "elapsed": elapsed,
        "rate": len(seen) / elapsed,
        "missing": missing,
        "duplicates": duplicates,
        "strangers": strangers,
        "killed_at": killed_at,
        "statuses": Counter(Notification.objects.values_list("email_status", flat=True)),
    }


# --------------------------------------------------------------------------- the window


def measure_window(sample):
    """Deliver `sample` emails here, timing the server's acceptance and the commit of each."""
    from django.core.mail import get_connection
    from django.db import transaction

    from notifications import outbox

    seed_messages(sample)
    connection = get_connection()
    connection.open()
    accepted_at = []
    real_send = connection.send_messages

    def timed_send(messages):
        result = real_send(messages)
        accepted_at.append(time.perf_counter())
        return result

    connection.send_messages = timed_send
    windows, cycles = [], []
    while True:
        begun = time.perf_counter()
        outcome = outbox.deliver_next(connection)
        done = time.perf_counter()  # deliver_next has returned: its transaction committed
        if outcome is None:
            break
        assert not transaction.get_connection().in_atomic_block
        windows.append(done - accepted_at[-1])
        cycles.append(done - begun)
    connection.close()
    return windows, cycles


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv=None):
    args = parse_args(argv)
    sink, controller, port = start_sink()
    env = {
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.broker_url,
        "REDIS_URL": args.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    rebuild_database(args.database_url)
    setup_django(env)
    seed_people(args.people)
    print(f"outbox benchmark: {args.messages:,} emails to {args.people:,} people, 2 workers")
    print(f"{os.cpu_count()} cores; PostgreSQL and Redis on 127.0.0.1; SMTP sink on :{port}")
    print()
    print("| run | seconds | emails/s | missing | duplicates | statuses afterwards |")
    print("|---|---|---|---|---|---|")
    failures = 0
    for kill in (False, True):
        result = run(args, env, sink, kill=kill)
        name = "worker killed" if kill else "undisturbed"
        if kill:
            name += f" after {result['killed_at']:,}"
        statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(result["statuses"].items()))
        print(
            f"| {name} | {result['elapsed']:.1f} | {result['rate']:,.0f} | "
            f"{result['missing']} | {result['duplicates']} | {statuses} |"
        )
        failures += result["missing"] + result["strangers"]
    windows, cycles = measure_window(args.sample)
    print()
    print(
        f"window (server accepted -> 'sent' committed), {len(windows):,} emails: "
        f"median {statistics.median(windows) * 1e6:.0f} us, "
        f"p99 {percentile(windows, 99) * 1e6:.0f} us, max {max(windows) * 1e6:.0f} us; "
        f"a whole message: median {statistics.median(cycles) * 1e6:.0f} us; "
        f"share of the cycle: {sum(windows) / sum(cycles):.1%}"
    )
    controller.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
