"""Send the RAG digest for the current slot (beat runs it at DIGEST_TIMES on weekdays)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications import outbox
from notifications.digest import send_digests


class Command(BaseCommand):
    help = "Send the RAG digest for the current slot, once per audience."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time (default: now)")

    def handle(self, *args, now=None, **options):
        as_of = parse_datetime(now) if now else None
        if as_of is not None and timezone.is_naive(as_of):
            as_of = timezone.make_aware(as_of)
        people = send_digests(as_of)
        outbox.drain()
        self.stdout.write(f"Digest sent to {people} people")
