"""`manage.py workdays`: working-day arithmetic for people and scripts."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Nation
from notifications.models import ClosureDay
from notifications.workdays import WorkingCalendar
from tests.accounts.factories import LocalAuthorityFactory


def workdays(*args):
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add_prints_the_date_that_many_working_days_later():
    # By hand, England, counting the working days after Wednesday 23 December 2026:
    #   December: 24, 29, 30, 31                        ->  4  (25 Fri Christmas, 26-27
    #                                                          weekend, 28 Mon Boxing Day
    #                                                          substitute)
    #   January 2027: 4-8, 11-15, 18-22, 25-29          -> 20  (1 Fri New Year) = 24
    #   February 2027: 1-5, 8-12, 15-19, 22-26          -> 20                     = 44
    #   Monday 1 March 2027                             ->  1                     = 45
    # (The command's docstring says 2027-03-02; that example is one day out.)
    assert workdays("add", "2026-12-23", "45") == "2027-03-01"
    assert WorkingCalendar().between(dt.date(2026, 12, 23), dt.date(2027, 3, 1)) == 45


def test_add_a_negative_number_counts_backwards():
    assert workdays("add", "2026-12-29", "-1") == "2026-12-24"


def test_between_prints_the_count():
    # 24, 29, 30, 31 December and 4, 5 January.
    assert workdays("between", "2026-12-23", "2027-01-05") == "6"
    assert workdays("between", "2027-01-05", "2026-12-23") == "-6"


def test_nation_scotland_uses_scottish_bank_holidays():
    # Scotland also loses Monday 4 January 2027 (the substitute for Saturday 2 January).
    assert workdays("between", "2026-12-23", "2027-01-05", "--nation", "SCT") == "5"
    assert workdays("add", "2026-12-31", "1", "--nation", "SCT") == "2027-01-05"
    # Easter Monday is a working day in Scotland.
    assert workdays("add", "2026-04-02", "1", "--nation", "SCT") == "2026-04-06"
    assert workdays("add", "2026-04-02", "1") == "2026-04-07"


@pytest.mark.django_db
def test_authority_uses_its_nation_and_closure_days():
    authority = LocalAuthorityFactory(code="930", nation=Nation.SCOTLAND)
    for day in (29, 30, 31):
        ClosureDay.objects.create(
            authority=authority, date=dt.date(2026, 12, day), reason="Council closed"
        )
    # Only 24 December and 5 January are left (4 January is Scotland's substitute day).
    assert workdays("between", "2026-12-23", "2027-01-05", "--authority", "930") == "2"
    assert workdays("add", "2026-12-24", "1", "--authority", "930") == "2027-01-05"
    # Without the authority none of that applies.
    assert workdays("add", "2026-12-24", "1") == "2026-12-29"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-13-01", "1"), "'2026-13-01' is not a date in the form YYYY-MM-DD"),
        (("add", "23/12/2026", "1"), "'23/12/2026' is not a date in the form YYYY-MM-DD"),
        (("between", "2026-12-23", "soon"), "'soon' is not a date in the form YYYY-MM-DD"),
        (("add", "2026-12-23", "forty"), "'forty' is not a whole number of working days"),
        (("add", "2026-12-23", "1.5"), "'1.5' is not a whole number of working days"),
    ],
)
def test_bad_input_is_a_command_error_that_says_what_is_wrong(args, message):
    with pytest.raises(CommandError) as error:
        workdays(*args)
    assert str(error.value) == message


@pytest.mark.django_db
def test_an_unknown_authority_is_a_command_error():
    with pytest.raises(CommandError, match="No local authority with code 999"):
        workdays("add", "2026-12-23", "1", "--authority", "999")


def test_an_unknown_nation_or_action_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'XYZ'"):
        workdays("add", "2026-12-23", "1", "--nation", "XYZ")
    with pytest.raises(CommandError, match="invalid choice: 'subtract'"):
        workdays("subtract", "2026-12-23", "1")
