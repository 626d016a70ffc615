"""The demo's in-process scheduler: without Redis or Celery beat, a daemon thread in the web
process runs the reminder sweep every REMINDER_SWEEP_MINUTES and the RAG digest at its
times. Production uses Celery beat instead (exactly one beat)."""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_started = threading.Event()


def _loop():
    from notifications import digest, outbox, sweep

    while True:
        close_old_connections()
        try:
            run = sweep.run_sweep()
            digest.send_digests()
            outbox.drain()
            log.info(
                "demo sweep: %s reminders, %s alerts, %s escalations",
                run.reminders,
                run.alerts,
                run.escalations,
            )
        except Exception:  # keep the demo's reminders alive through one bad sweep
            log.exception("demo reminder sweep failed")
        time.sleep(settings.REMINDER_SWEEP_MINUTES * 60)


def start():
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_loop, name="demo-reminders", daemon=True).start()
