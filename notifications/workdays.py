"""Working days: weekends and the bank holidays of the authority's nation do not count.

The first piece of the timescale machinery (DESIGN section 4); the catalogue, Deadline and
local closure days build on it."""

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

# Our nation codes (accounts.models.Nation) to the `holidays` package's GB subdivisions.
_SUBDIVISION = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}
END_OF_WORKING_DAY = dt.time(17, 0)


@lru_cache(maxsize=16)
def _bank_holidays(nation, year):
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION.get(nation, "ENG"), years=year)


def is_working_day(day, nation="ENG"):
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def add_working_days(day, count, nation="ENG"):
    """The date `count` working days after `day` (day itself is not counted)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            count -= 1
    return day


def end_of_working_day(day):
    return timezone.make_aware(dt.datetime.combine(day, END_OF_WORKING_DAY))


def due_after_working_days(start, count, nation="ENG"):
    """End of the working day `count` working days after the (local) date of `start`."""
    return end_of_working_day(add_working_days(timezone.localdate(start), count, nation))
