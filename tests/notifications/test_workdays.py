"""Working days: weekends, each nation's bank holidays (with their substitute days and the
one-off holidays), an authority's own closure days, and the end of the working day in
London time whatever the season."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Nation
from notifications.models import ClosureDay
from notifications.workdays import WorkingCalendar
from tests.accounts.factories import LocalAuthorityFactory

LONDON = ZoneInfo("Europe/London")
NATIONS = ["ENG", "WLS", "SCT", "NIR"]
GMT = dt.timedelta(0)
BST = dt.timedelta(hours=1)


def d(text):
    return dt.date.fromisoformat(text)


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def working(day, nation="ENG"):
    return WorkingCalendar(nation).is_working_day(d(day))


# --- weekends ---------------------------------------------------------------------------


def test_saturday_and_sunday_are_not_working_days_anywhere():
    for nation in NATIONS:
        assert not working("2026-11-21", nation)  # Saturday
        assert not working("2026-11-22", nation)  # Sunday
        assert working("2026-11-20", nation)  # Friday
        assert working("2026-11-23", nation)  # Monday


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-11-20", 1, "2026-11-23"),  # Friday + 1 -> Monday
        ("2026-11-21", 1, "2026-11-23"),  # Saturday + 1 -> Monday
        ("2026-11-22", 1, "2026-11-23"),  # Sunday + 1 -> Monday
        ("2026-11-16", 5, "2026-11-23"),  # a whole week
        ("2026-11-16", 10, "2026-11-30"),  # two weeks
        ("2026-11-20", 0, "2026-11-20"),  # nothing to add
        ("2026-11-23", -1, "2026-11-20"),  # Monday - 1 -> Friday
        ("2026-11-22", -1, "2026-11-20"),  # Sunday - 1 -> Friday
    ],
)
def test_add_counts_only_weekdays(start, count, expected):
    assert WorkingCalendar().add(d(start), count) == d(expected)


# --- Easter -----------------------------------------------------------------------------


@pytest.mark.parametrize("nation", ["ENG", "WLS", "NIR"])
def test_good_friday_and_easter_monday_are_bank_holidays_outside_scotland(nation):
    assert not working("2026-04-03", nation)  # Good Friday
    assert not working("2026-04-06", nation)  # Easter Monday
    assert not working("2027-03-26", nation)
    assert not working("2027-03-29", nation)
    # Thursday before Easter + 1 -> the Tuesday after
    assert WorkingCalendar(nation).add(d("2026-04-02"), 1) == d("2026-04-07")


def test_easter_monday_is_a_working_day_in_scotland_but_good_friday_is_not():
    assert not working("2026-04-03", "SCT")
    assert working("2026-04-06", "SCT")
    assert working("2027-03-29", "SCT")
    assert WorkingCalendar("SCT").add(d("2026-04-02"), 1) == d("2026-04-06")


# --- Christmas and New Year, with substitute days ----------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
def test_christmas_2026_boxing_day_is_substituted_on_monday_28_december(nation):
    assert not working("2026-12-25", nation)  # Christmas Day, a Friday
    assert not working("2026-12-28", nation)  # Boxing Day (Saturday) moves to Monday
    assert working("2026-12-29", nation)
    # Thursday 24 Dec + 1 -> Tuesday 29 Dec
    assert WorkingCalendar(nation).add(d("2026-12-24"), 1) == d("2026-12-29")


@pytest.mark.parametrize("nation", NATIONS)
def test_christmas_2027_both_days_fall_at_the_weekend_and_move_to_27_and_28_december(nation):
    assert not working("2027-12-27", nation)
    assert not working("2027-12-28", nation)
    assert working("2027-12-29", nation)
    assert WorkingCalendar(nation).add(d("2027-12-24"), 1) == d("2027-12-29")


@pytest.mark.parametrize("nation", ["ENG", "WLS", "NIR"])
def test_new_year_2027_is_friday_1_january_and_work_resumes_on_monday_4th(nation):
    assert not working("2027-01-01", nation)
    assert working("2027-01-04", nation)
    assert WorkingCalendar(nation).add(d("2026-12-31"), 1) == d("2027-01-04")


def test_scotland_also_keeps_2_january_and_its_substitute():
    # 2026: 2 January is a Friday and a Scottish holiday.
    assert not working("2026-01-02", "SCT")
    assert working("2026-01-02", "ENG")
    # 2027: 2 January is a Saturday, so Scotland's substitute is Monday 4 January.
    assert not working("2027-01-04", "SCT")
    assert WorkingCalendar("SCT").add(d("2026-12-31"), 1) == d("2027-01-05")
    # 2022: 1 and 2 January at the weekend -> Monday 3 and Tuesday 4 January.
    assert not working("2022-01-03", "SCT")
    assert not working("2022-01-04", "SCT")
    assert not working("2022-01-03", "ENG")
    assert working("2022-01-04", "ENG")


def test_new_years_day_on_a_sunday_is_substituted_on_monday():
    assert not working("2023-01-02", "ENG")
    assert working("2023-01-03", "ENG")
    assert not working("2023-01-03", "SCT")  # 2 January's substitute


# --- the one-off bank holidays ------------------------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    "day",
    [
        "2022-06-02",  # spring bank holiday, moved for the Platinum Jubilee
        "2022-06-03",  # Platinum Jubilee
        "2022-09-19",  # the Queen's state funeral
        "2023-05-08",  # the coronation of King Charles III
    ],
)
def test_one_off_bank_holidays_are_not_working_days(nation, day):
    assert not working(day, nation)


def test_2022_jubilee_weekend_skips_thursday_and_friday():
    # Wednesday 1 June 2022 + 1 -> Monday 6 June; the last Monday of May was a working day.
    assert WorkingCalendar().add(d("2022-06-01"), 1) == d("2022-06-06")
    assert working("2022-05-30")


# --- Northern Ireland ----------------------------------------------------------------------


def test_northern_ireland_keeps_st_patricks_day_and_12_july():
    assert not working("2027-03-17", "NIR")  # Wednesday
    assert not working("2027-07-12", "NIR")  # Monday
    assert not working("2026-07-13", "NIR")  # 12 July 2026 is a Sunday: substitute Monday
    for nation in ["ENG", "WLS", "SCT"]:
        assert working("2027-03-17", nation)
        assert working("2027-07-12", nation)
        assert working("2026-07-13", nation)
    assert WorkingCalendar("NIR").add(d("2027-07-09"), 1) == d("2027-07-13")


# --- local closure days ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_authoritys_closure_days_are_not_working_days():
    authority = LocalAuthorityFactory()
    other = LocalAuthorityFactory()
    ClosureDay.objects.create(authority=authority, date=d("2026-12-29"), reason="Council closed")
    ClosureDay.objects.create(authority=authority, date=d("2026-12-30"), reason="Council closed")

    calendar = WorkingCalendar.for_authority(authority)
    assert not calendar.is_working_day(d("2026-12-29"))
    assert not calendar.is_working_day(d("2026-12-30"))
    assert calendar.is_working_day(d("2026-12-31"))
    # Another authority's closures are its own.
    assert WorkingCalendar.for_authority(other).is_working_day(d("2026-12-29"))


@pytest.mark.django_db
def test_add_skips_a_closure_on_a_weekday():
    authority = LocalAuthorityFactory()
    ClosureDay.objects.create(authority=authority, date=d("2026-11-24"), reason="Training day")

    calendar = WorkingCalendar.for_authority(authority)
    assert calendar.add(d("2026-11-23"), 1) == d("2026-11-25")
    assert calendar.add(d("2026-11-23"), 2) == d("2026-11-26")
    assert calendar.between(d("2026-11-23"), d("2026-11-27")) == 3
    assert WorkingCalendar().add(d("2026-11-23"), 1) == d("2026-11-24")


@pytest.mark.django_db
def test_for_authority_uses_the_authoritys_nation():
    authority = LocalAuthorityFactory(nation=Nation.SCOTLAND)
    calendar = WorkingCalendar.for_authority(authority)
    assert calendar.nation == "SCT"
    assert calendar.is_working_day(d("2026-04-06"))  # Easter Monday
    assert not calendar.is_working_day(d("2026-08-03"))  # Scotland's summer bank holiday


# --- between --------------------------------------------------------------------------------


def test_between_counts_working_days_after_the_start_up_to_and_including_the_end():
    # 24, 29, 30, 31 Dec and 4, 5 Jan: 25 and 28 Dec and 1 Jan are bank holidays.
    assert WorkingCalendar().between(d("2026-12-23"), d("2027-01-05")) == 6
    # Scotland also loses Monday 4 January (the substitute for 2 January).
    assert WorkingCalendar("SCT").between(d("2026-12-23"), d("2027-01-05")) == 5


def test_between_reversed_dates_is_negative_and_the_same_date_is_zero():
    calendar = WorkingCalendar()
    assert calendar.between(d("2027-01-05"), d("2026-12-23")) == -6
    assert calendar.between(d("2026-12-23"), d("2026-12-23")) == 0
    assert calendar.between(d("2026-11-20"), d("2026-11-23")) == 1  # Friday -> Monday
    assert calendar.between(d("2026-11-21"), d("2026-11-22")) == 0  # the weekend


@pytest.mark.parametrize("count", [1, 5, 10, 45])
def test_between_undoes_add(count):
    calendar = WorkingCalendar()
    start = d("2026-12-23")
    assert calendar.between(start, calendar.add(start, count)) == count


# --- when a clock starts ------------------------------------------------------------------


def test_a_clock_started_after_the_end_of_the_working_day_counts_from_the_next_one():
    calendar = WorkingCalendar()
    # Tuesday 24 November 2026
    assert calendar.working_day_of(london(2026, 11, 24, 16, 59)) == d("2026-11-24")
    assert calendar.working_day_of(london(2026, 11, 24, 17, 0)) == d("2026-11-25")
    assert calendar.working_day_of(london(2026, 11, 24, 17, 1)) == d("2026-11-25")

    assert calendar.due(london(2026, 11, 24, 16, 59), working_days=1) == london(2026, 11, 25, 17, 0)
    assert calendar.due(london(2026, 11, 24, 17, 1), working_days=1) == london(2026, 11, 26, 17, 0)


def test_a_referral_sent_on_friday_evening_is_received_on_monday():
    calendar = WorkingCalendar()
    assert calendar.working_day_of(london(2026, 11, 20, 18, 30)) == d("2026-11-23")
    assert calendar.due(london(2026, 11, 20, 18, 30), working_days=1) == london(2026, 11, 24, 17, 0)


def test_a_clock_started_on_a_saturday_counts_from_monday():
    calendar = WorkingCalendar()
    saturday = london(2026, 11, 28, 10, 0)
    assert calendar.working_day_of(saturday) == d("2026-11-30")
    assert calendar.due(saturday, working_days=1) == london(2026, 12, 1, 17, 0)
    # On a bank holiday likewise: Christmas Day -> Tuesday 29 December.
    assert calendar.working_day_of(london(2026, 12, 25, 10, 0)) == d("2026-12-29")


def test_the_end_of_the_working_day_is_judged_in_london_time():
    calendar = WorkingCalendar()
    # 16:30 UTC in June is 17:30 in London: after the end of the working day.
    utc = dt.datetime(2027, 6, 3, 16, 30, tzinfo=dt.UTC)
    assert calendar.working_day_of(utc) == d("2027-06-04")
    # 16:30 UTC in January is 16:30 in London: still that day.
    assert calendar.working_day_of(dt.datetime(2027, 1, 6, 16, 30, tzinfo=dt.UTC)) == d(
        "2027-01-06"
    )


# --- due in calendar months --------------------------------------------------------------


def test_due_in_months_lands_on_the_same_date_when_it_is_a_working_day():
    calendar = WorkingCalendar()
    # Wednesday 30 September 2026 + 3 months = Wednesday 30 December 2026.
    assert calendar.due(london(2026, 9, 30, 10, 0), months=3) == london(2026, 12, 30, 17, 0)


def test_due_in_months_rolls_forward_onto_a_working_day():
    calendar = WorkingCalendar()
    # Friday 25 September + 3 months = Christmas Day; 26-27 weekend, 28 substitute -> 29th.
    assert calendar.due(london(2026, 9, 25, 10, 0), months=3) == london(2026, 12, 29, 17, 0)
    # Monday 30 November + 3 months = Sunday 28 February 2027 (no 30 February) -> 1 March.
    assert calendar.due(london(2026, 11, 30, 10, 0), months=3) == london(2027, 3, 1, 17, 0)


def test_due_in_months_counts_from_the_working_day_the_clock_starts():
    calendar = WorkingCalendar()
    # Saturday 26 September counts from Monday 28th; + 3 months = Monday 28 December, the
    # Boxing Day substitute -> Tuesday 29 December.
    assert calendar.due(london(2026, 9, 26, 10, 0), months=3) == london(2026, 12, 29, 17, 0)


# --- the end of the working day across the clock changes -----------------------------------


def test_a_due_date_in_summer_time_is_17_00_bst():
    due = WorkingCalendar().due(london(2027, 6, 4, 9, 0), working_days=1)
    assert due.isoformat() == "2027-06-07T17:00:00+01:00"
    assert due.utcoffset() == BST
    assert due == dt.datetime(2027, 6, 7, 16, 0, tzinfo=dt.UTC)


def test_a_due_date_in_winter_is_17_00_gmt():
    due = WorkingCalendar().due(london(2026, 12, 24, 10, 0), working_days=1)
    assert due.isoformat() == "2026-12-29T17:00:00+00:00"
    assert due.utcoffset() == GMT


def test_a_clock_that_runs_across_the_spring_clock_change_is_due_at_17_00_bst():
    # Thursday 25 March 2027 (GMT) + 1: Good Friday, the weekend (clocks go forward on
    # Sunday 28th) and Easter Monday are skipped -> Tuesday 30 March, in BST.
    due = WorkingCalendar().due(london(2027, 3, 25, 10, 0), working_days=1)
    assert due.isoformat() == "2027-03-30T17:00:00+01:00"


def test_a_clock_that_runs_across_the_autumn_clock_change_is_due_at_17_00_gmt():
    # Friday 23 October 2026 (BST) + 1: clocks go back on Sunday 25th -> Monday 26th, GMT.
    start = london(2026, 10, 23, 10, 0)
    assert start.utcoffset() == BST
    due = WorkingCalendar().due(start, working_days=1)
    assert due.isoformat() == "2026-10-26T17:00:00+00:00"


def test_end_of_is_17_00_local_on_either_side_of_the_clock_change():
    calendar = WorkingCalendar()
    assert calendar.end_of(d("2027-03-26")).isoformat() == "2027-03-26T17:00:00+00:00"
    assert calendar.end_of(d("2027-03-29")).isoformat() == "2027-03-29T17:00:00+01:00"


# --- WORKING_DAY_ENDS -------------------------------------------------------------------------


def test_the_end_of_the_working_day_is_configurable(settings):
    settings.WORKING_DAY_ENDS = "16:30"
    calendar = WorkingCalendar()
    assert calendar.end_of(d("2027-06-07")).isoformat() == "2027-06-07T16:30:00+01:00"
    # 16:45 is now after the end of the working day.
    assert calendar.working_day_of(london(2026, 11, 24, 16, 45)) == d("2026-11-25")
    assert calendar.working_day_of(london(2026, 11, 24, 16, 29)) == d("2026-11-24")
    assert calendar.due(london(2026, 11, 24, 16, 45), working_days=1) == london(
        2026, 11, 26, 16, 30
    )


def test_a_later_end_of_the_working_day_keeps_an_evening_start_on_the_same_day(settings):
    settings.WORKING_DAY_ENDS = "18:00"
    calendar = WorkingCalendar()
    assert calendar.working_day_of(london(2026, 11, 24, 17, 30)) == d("2026-11-24")
    assert calendar.due(london(2026, 11, 24, 17, 30), working_days=1) == london(2026, 11, 25, 18, 0)


# --- extreme dates: answered, never an error ----------------------------------------------


def test_the_calendar_answers_for_a_date_in_9999_without_an_error():
    calendar = WorkingCalendar("ENG")
    last = dt.date.max  # Friday 31 December 9999
    assert calendar.next_working_day(last) == last
    assert calendar.add(last, 5) == last
    assert calendar.add(d("9999-12-27"), 10) == last
    assert calendar.previous_working_day(dt.date.min) == dt.date.min
    assert calendar.add(d("9999-01-01"), -1) == d("9998-12-31")  # weekdays only past 2100
    due = calendar.due(london(9999, 12, 30, 9, 0), months=3)
    assert due.date() == last and due.hour == 17
    assert calendar.due(london(9999, 12, 30, 9, 0), working_days=10).date() == last


def test_working_days_to_a_far_date_are_counted_not_walked():
    calendar = WorkingCalendar("ENG")
    to_2100 = calendar.between(d("2026-12-01"), d("2100-12-31"))
    # 2101-01-03 is a Monday: the Saturday and Sunday before it do not count.
    assert calendar.between(d("2026-12-01"), d("2101-01-02")) == to_2100
    assert calendar.between(d("2026-12-01"), d("2101-01-03")) == to_2100 + 1
    assert calendar.between(d("2101-01-03"), d("2101-01-10")) == 5
    far = calendar.between(d("2026-12-01"), dt.date.max)
    assert far > to_2100 + 5 * 52 * 7000
    assert calendar.between(dt.date.max, d("2026-12-01")) == -far
