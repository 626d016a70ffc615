"""One reminder sweep, now or as of a given moment: python manage.py run_reminders
[--now 2026-11-23T09:00]. Beat runs the same sweep every REMINDER_SWEEP_MINUTES."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications import outbox
from notifications.sweep import run_sweep


class Command(BaseCommand):
    help = "Run one reminder sweep: reminders, overdue alerts and escalations, each once."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to sweep as of (default: now)")

    def handle(self, *args, now=None, **options):
        as_of = None
        if now:
            as_of = parse_datetime(now)
            if as_of is None:
                raise CommandError(f"{now!r} is not an ISO date-time like 2026-11-23T09:00")
            if timezone.is_naive(as_of):
                as_of = timezone.make_aware(as_of)
        run = run_sweep(as_of)
        emailed = outbox.drain()[outbox.SENT]
        self.stdout.write(
            f"Sweep as of {timezone.localtime(run.as_of):%Y-%m-%d %H:%M}: "
            f"{run.reminders} reminders, {run.alerts} alerts, {run.escalations} escalations; "
            f"{emailed} emails sent"
        )
