"""The demo command builds a School Partnership Meeting waiting for the school's pre-meeting
document, and one held whose safety plan went out late."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from notifications.models import Deadline, DeadlineStatus
from safety_summits.choices import MeetingState as M
from safety_summits.models import SchoolPartnershipMeeting

pytestmark = [
    pytest.mark.django_db,
    # A Wednesday, so the demo's "eight working days ago" falls in an ordinary week.
    pytest.mark.time_machine(
        dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
    ),
]


def test_the_demo_has_a_meeting_waiting_and_one_whose_plan_went_out_late():
    call_command("demo", password="demo-password-1")
    waiting = SchoolPartnershipMeeting.objects.get(state=M.SCHEDULED)
    assert not waiting.has_pre_meeting_document
    assert waiting.referral.school.memberships.filter(user__email="dsl@demo.example").exists()
    sent = SchoolPartnershipMeeting.objects.get(state=M.PLAN_DISTRIBUTED)
    assert sent.has_pre_meeting_document and sent.actions.filter(plan_action__isnull=False)
    clock = Deadline.objects.get(timescale__key="safety_plan_distributed", subject_id=sent.pk)
    assert clock.status == DeadlineStatus.MET and clock.on_time is False


def test_the_demo_has_a_summit_being_planned_and_one_held_with_its_map_and_follow_up():
    from safety_summits.summit.choices import SummitState as S
    from safety_summits.summit.models import SafetySummit

    call_command("demo", password="demo-password-1")
    planning = SafetySummit.objects.get(state=S.PLANNED)
    assert planning.schools.count() == 2 and planning.activities
    held = SafetySummit.objects.get(state=S.REPORTED)
    assert held.places.count() == 4 and held.turnouts.count() == 2
    assert held.actions.filter(plan_action__isnull=False).count() == 2
    assert held.responses.exclude(told_on=None).count() == 1
    clock = Deadline.objects.get(timescale__key="safety_summit_held", subject_id=held.pk)
    assert clock.status == DeadlineStatus.MET and clock.on_time
