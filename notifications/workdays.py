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

# Every date typed is no later than 2100 (casework.validators.LATEST_DATE, checked at the
# field and by the services). Should a later one reach the calendar anyway, it answers
# without an error and without counting millennia of bank holidays: beyond this day only
# weekends are skipped, and the calendar stops at the last day Python can hold.
HORIZON = dt.date(2100, 12, 31)
ONE_DAY = dt.timedelta(days=1)


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
        if day > HORIZON:
            return day.weekday() < 5
        return (
            day.weekday() < 5
            and day not in self.closures
            and day not in _bank_holidays(self.nation, day.year)
        )

    def next_working_day(self, day):
        try:
            day += ONE_DAY
            while not self.is_working_day(day):
                day += ONE_DAY
        except OverflowError:  # past 31 December 9999: the calendar ends there
            return dt.date.max
        return day

    def previous_working_day(self, day):
        try:
            day -= ONE_DAY
            while not self.is_working_day(day):
                day -= ONE_DAY
        except OverflowError:  # before 1 January 1 AD
            return dt.date.min
        return day

    def add(self, day, count):
        """The date `count` working days after `day` (negative: before); day itself is not
        counted."""
        step = self.next_working_day if count >= 0 else self.previous_working_day
        for _ in range(abs(count)):
            day = step(day)
            if day in (dt.date.max, dt.date.min):
                break
        return day

    def between(self, start, end):
        """Working days after `start` up to and including `end` (so add(d, n) is n after d)."""
        if end < start:
            return -self.between(end, start)
        if end > HORIZON:  # beyond it, weekdays only: counted, not walked day by day
            if start >= HORIZON:
                return _weekdays_after(start, end)
            return self.between(start, HORIZON) + _weekdays_after(HORIZON, end)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
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
            try:
                day = first + relativedelta(months=months)
            except (OverflowError, ValueError):  # past 9999
                day = dt.date.max
            if not self.is_working_day(day):
                day = self.next_working_day(day)
        else:
            day = self.add(first, working_days)
        return self.end_of(day)


def _weekdays_after(start, end):
    """Weekdays after `start` up to and including `end` (start <= end)."""
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for n in range(1, rest + 1):
        count += (start + dt.timedelta(days=weeks * 7 + n)).weekday() < 5
    return count
