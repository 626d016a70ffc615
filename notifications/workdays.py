"""Working days: weekends, the bank holidays of the authority's nation and the authority's
own closure days do not count. Every due date in the product is computed here.

A clock that starts after the end of the working day (17:00 by default), or on a day that is
not a working day, starts on the next working day: a referral sent on Friday evening is
received on Monday."""

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

# accounts.models.Nation codes are the `holidays` package's GB subdivisions.
NATIONS = {"ENG", "WLS", "SCT", "NIR"}


@lru_cache(maxsize=64)
def _bank_holidays(nation, year):
    return holidays.country_holidays(
        "GB", subdiv=nation if nation in NATIONS else "ENG", years=year
    )


def end_of_day_time():
    hours, minutes = settings.WORKING_DAY_ENDS.split(":")
    return dt.time(int(hours), int(minutes))


class WorkingCalendar:
    """The working days of one nation, less an authority's closure days."""

    def __init__(self, nation="ENG", closures=()):
        self.nation = nation
        self.closures = frozenset(closures)

    @classmethod
    def for_authority(cls, authority):
        from notifications.models import ClosureDay

        closures = ClosureDay.objects.filter(authority=authority).values_list("date", flat=True)
        return cls(authority.nation, closures)

    def is_working_day(self, day):
        return (
            day.weekday() < 5
            and day not in self.closures
            and day not in _bank_holidays(self.nation, day.year)
        )

    def next_working_day(self, day):
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day):
        day -= dt.timedelta(days=1)
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def add(self, day, count):
        """The date `count` working days after `day` (negative: before); day itself is not
        counted."""
        step = self.next_working_day if count >= 0 else self.previous_working_day
        for _ in range(abs(count)):
            day = step(day)
        return day

    def between(self, start, end):
        """Working days after `start` up to and including `end` (so add(d, n) is n after d)."""
        if end < start:
            return -self.between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def working_day_of(self, moment):
        """The working day on which something that happened at `moment` counts as received."""
        local = timezone.localtime(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < end_of_day_time():
            return day
        return self.next_working_day(day)

    def end_of(self, day):
        """The end of the working day on `day`, aware, in Europe/London (right across BST)."""
        return timezone.make_aware(dt.datetime.combine(day, end_of_day_time()))

    def due(self, start, *, working_days=0, months=0):
        """When a clock started at `start` falls due: the end of the working day that many
        working days (or calendar months, rolled on to a working day) after it starts."""
        first = self.working_day_of(start)
        if months:
            day = first + relativedelta(months=months)
            if not self.is_working_day(day):
                day = self.next_working_day(day)
        else:
            day = self.add(first, working_days)
        return self.end_of(day)
