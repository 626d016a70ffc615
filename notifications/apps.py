import os
import sys

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Timescales and notifications"

    def ready(self):
        from notifications import checks  # noqa: F401 - registers the catalogue's checks

        # The demo (DEMO_SCHEDULER=1) sweeps in the serving process of runserver only.
        if (
            os.environ.get("DEMO_SCHEDULER") == "1"
            and "runserver" in sys.argv
            and os.environ.get("RUN_MAIN") == "true"
        ):
            from notifications import scheduler

            scheduler.start()
