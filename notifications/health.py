"""Is the reminder sweep running? Are the database and Redis answering?"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import SweepRun

STALE_AFTER_INTERVALS = 3


def last_sweep():
    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def sweep_is_stale(now=None):
    now = now or timezone.now()
    run = last_sweep()
    limit = dt.timedelta(minutes=settings.REMINDER_SWEEP_MINUTES * STALE_AFTER_INTERVALS)
    return run is None or now - run.finished_at > limit


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
    healthy = all(
        details.get(k) in ("ok",) or str(details.get(k)).startswith("not used")
        for k in ("database", "redis", "reminders")
    )
    return healthy, details
