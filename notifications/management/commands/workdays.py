"""Working-day arithmetic for people and scripts.

python manage.py workdays add 2026-12-23 45            -> 2027-03-01
python manage.py workdays between 2026-12-23 2027-01-05 -> 6
--nation SCT, or --authority CODE (its nation and closure days)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.models import LocalAuthority
from notifications.workdays import NATIONS, WorkingCalendar


def _date(text):
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Add working days to a date, or count the working days between two dates."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "between"])
        parser.add_argument("start")
        parser.add_argument("other", help="a number of working days, or an end date")
        parser.add_argument("--nation", default="ENG", choices=sorted(NATIONS))
        parser.add_argument("--authority", help="an authority code: its nation and closures")

    def handle(self, *args, action, start, other, nation, authority, **options):
        if authority:
            try:
                calendar = WorkingCalendar.for_authority(LocalAuthority.objects.get(code=authority))
            except LocalAuthority.DoesNotExist as exc:
                raise CommandError(f"No local authority with code {authority}") from exc
        else:
            calendar = WorkingCalendar(nation)
        if action == "add":
            try:
                count = int(other)
            except ValueError as exc:
                raise CommandError(f"{other!r} is not a whole number of working days") from exc
            self.stdout.write(calendar.add(_date(start), count).isoformat())
        else:
            self.stdout.write(str(calendar.between(_date(start), _date(other))))
