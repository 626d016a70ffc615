"""Every Early Help clock to the working day over the Christmas bank holidays of 2026
(Friday 25 December, Monday 28 December for Boxing Day, Friday 1 January 2027): the
partnership meeting held within 15 working days, its safety plan within 5, the summit held
within 30, and the plan agreed within 10 of either being held."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications.models import Deadline
from tests.safety_summits import factories as pm
from tests.safety_summits import summit_factories as su

MONDAY_14_DECEMBER = dt.datetime(2026, 12, 14, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY_14_DECEMBER, tick=False)]


def _due(record, key):
    return Deadline.objects.get(timescale__key=key, subject_id=record.pk).due_at.date()


def _plan_due(record):
    return Deadline.objects.get(timescale__key="plan_agreed", case_id=record.referral_id).due_at


def test_the_partnership_meeting_s_clocks(time_machine):
    meeting = pm.planned()
    # 15 working days from Monday 14 December: Thursday 7 January 2027.
    assert _due(meeting, "partnership_meeting_held") == dt.date(2027, 1, 7)
    meeting = pm.held(pm.recorded(pm.prepared(pm.scheduled(meeting, days=9))), time_machine)
    assert meeting.held_at.date() == dt.date(2026, 12, 23)
    # 5 working days from Wednesday 23 December: Monday 4 January 2027.
    assert _due(meeting, "safety_plan_distributed") == dt.date(2027, 1, 4)
    # 10 working days from Wednesday 23 December: Monday 11 January 2027.
    assert _plan_due(meeting).date() == dt.date(2027, 1, 11)


def test_the_summit_s_clocks(time_machine):
    summit = su.planned_summit()
    # 30 working days from Monday 14 December: Thursday 28 January 2027.
    assert _due(summit, "safety_summit_held") == dt.date(2027, 1, 28)
    summit = su.held_summit(su.recorded_summit(su.scheduled_summit(summit, days=9)), time_machine)
    assert summit.held_at.date() == dt.date(2026, 12, 23)
    assert _plan_due(summit).date() == dt.date(2027, 1, 11)
