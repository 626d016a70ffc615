"""Is the reminder sweep running (and so the beat)? Are emails leaving the outbox? Are the
database and Redis answering?"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from notifications.models import Deadline, DeadlineStatus, Notification, SweepRun

STALE_AFTER_INTERVALS = 3


def last_sweep():
    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def sweep_is_stale(now=None):
    now = now or timezone.now()
    run = last_sweep()
    limit = dt.timedelta(minutes=settings.REMINDER_SWEEP_MINUTES * STALE_AFTER_INTERVALS)
    return run is None or now - run.finished_at > limit


def outbox_wait(now=None):
    """How long the longest-waiting due email has waited, in seconds (None: nothing due)."""
    now = now or timezone.now()
    oldest = Notification.objects.filter(
        email_status=Notification.Email.PENDING, email_next_attempt_at__lte=now
    ).aggregate(oldest=Min("email_next_attempt_at"))["oldest"]
    return (now - oldest).total_seconds() if oldest else None


def outbox_is_stalled(now=None):
    waited = outbox_wait(now)
    return waited is not None and waited > settings.OUTBOX_STALE_MINUTES * 60


def check():
    """(healthy, details) for /healthz."""
    details = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        details["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        details["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        details["redis"] = "not used (tasks run in-process)"
    else:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            details["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            details["redis"] = f"error: {exc.__class__.__name__}"
    if details["database"] == "ok":
        run = last_sweep()
        stale = sweep_is_stale()
        details["reminders"] = "not running" if stale else "ok"
        details["last_sweep"] = run.finished_at.isoformat() if run else None
        waited = outbox_wait()
        stalled = waited is not None and waited > settings.OUTBOX_STALE_MINUTES * 60
        details["outbox"] = "stalled" if stalled else "ok"
        details["outbox_oldest_due_seconds"] = round(waited) if waited is not None else None
        # A refused address is one person's problem, told to the duty managers; it does not
        # make the service unhealthy, but it is counted here until someone acts on it.
        details["outbox_failed"] = Notification.objects.filter(
            email_status=Notification.Email.FAILED
        ).count()
        # Clocks whose stage nobody could be told of (not even a duty manager): unstamped and
        # tried again each sweep; and clocks that reached only a fallback (their managers or
        # the duty manager) because nobody held the role that owns them. Counts only: the
        # health check shows no case. Like a refused address, a missing role is a setup
        # defect for people to fix, not a reason for a load balancer to take the service
        # away: reported here ("deadlines": "unroutable"), without turning /healthz 503.
        running = Deadline.objects.filter(status=DeadlineStatus.RUNNING)
        details["unroutable_deadlines"] = running.filter(unroutable=True).count()
        details["deadlines_sent_to_a_fallback"] = running.filter(
            unroutable=False, routing_problem_at__isnull=False
        ).count()
        details["deadlines"] = "unroutable" if details["unroutable_deadlines"] else "ok"
    healthy = all(
        details.get(k) in ("ok",) or str(details.get(k)).startswith("not used")
        for k in ("database", "redis", "reminders", "outbox")
    )
    return healthy, details
