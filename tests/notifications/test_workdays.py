import datetime as dt

import pytest

from notifications.workdays import WorkingCalendar


def add_working_days(day, count, nation="ENG"):
    return WorkingCalendar(nation).add(day, count)


def is_working_day(day, nation="ENG"):
    return WorkingCalendar(nation).is_working_day(day)


def due_after_working_days(start, count):
    return WorkingCalendar().due(start, working_days=count)


@pytest.mark.parametrize(
    ("start", "count", "nation", "expected"),
    [
        (dt.date(2026, 11, 20), 1, "ENG", dt.date(2026, 11, 23)),  # Friday -> Monday
        (dt.date(2026, 12, 24), 1, "ENG", dt.date(2026, 12, 29)),  # over Christmas + Boxing Day
        (dt.date(2026, 12, 31), 1, "ENG", dt.date(2027, 1, 4)),  # New Year's Day, weekend
        (dt.date(2027, 1, 1), 1, "SCT", dt.date(2027, 1, 5)),  # 2 January is a Scottish holiday
        (dt.date(2027, 3, 16), 1, "NIR", dt.date(2027, 3, 18)),  # St Patrick's Day
        (dt.date(2027, 3, 16), 1, "ENG", dt.date(2027, 3, 17)),
    ],
)
def test_add_working_days_skips_weekends_and_the_nations_bank_holidays(
    start, count, nation, expected
):
    assert add_working_days(start, count, nation) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 12, 25))
    assert not is_working_day(dt.date(2026, 8, 31))  # summer bank holiday, England
    assert is_working_day(dt.date(2026, 8, 3), "ENG")
    assert not is_working_day(dt.date(2026, 8, 3), "SCT")  # Scotland's is the first Monday


def test_screening_is_due_at_the_end_of_the_next_working_day(settings):
    submitted = dt.datetime(2026, 12, 24, 15, 30, tzinfo=dt.UTC)
    due = due_after_working_days(submitted, 1)
    assert due.isoformat() == "2026-12-29T17:00:00+00:00"
    summer = due_after_working_days(dt.datetime(2027, 6, 4, 9, 0, tzinfo=dt.UTC), 1)
    assert summer.isoformat() == "2027-06-07T17:00:00+01:00"  # British Summer Time
