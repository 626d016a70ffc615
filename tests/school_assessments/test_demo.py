"""demo_data.school_assessments.build puts an assessment at each stage, through the services,
with a cast shaped like the demo command's."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.utils import timezone

from accounts.models import PanelRole, TeamRole
from demo_data import school_assessments as demo
from notifications.models import Deadline
from notifications.workdays import WorkingCalendar
from referrals.indicators import seed_indicators
from school_assessments.choices import AssessmentState as A
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    TeamFactory,
    dsl_of,
    front_door_of,
    panel_member_of,
    team_member_of,
)
from tests.referrals.factories import COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db


def _cast():
    north0 = SchoolFactory()
    authority = north0.authority
    north1 = SchoolFactory(authority=authority)
    seed_indicators(authority)
    panel = ContextPanelFactory(authority=authority, region="North")
    team = TeamFactory(authority=authority)
    dsl = dsl_of(north0)
    from accounts.models import SchoolMembership

    SchoolMembership.objects.create(user=dsl, school=north1, role="dsl")
    return {
        "authority": authority,
        "north": [north0, north1],
        "panels": {"North": panel},
        "team": team,
        "dsl": dsl,
        "frontdoor": front_door_of(authority),
        "chair": panel_member_of(panel, role=PanelRole.CHAIR),
        "practitioner": team_member_of(team),
        "manager": team_member_of(team, role=TeamRole.MANAGER),
    }


def test_the_demo_has_an_assessment_at_each_stage():
    p = _cast()
    now = timezone.now()
    calendar = WorkingCalendar.for_authority(p["authority"])

    def at(days_ago):
        day = calendar.add(timezone.localdate(now), -days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))

    @contextmanager
    def _at(moment):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield

    def then(days_ago, service, **kwargs):
        with _at(at(days_ago)):
            return service(**kwargs)

    demo.build(p, then=then, at=at, answers=COMPLETE_ANSWERS)

    by_state = {a.state: a for a in SchoolAssessment.objects.all()}
    assert set(by_state) == {A.IN_PROGRESS, A.SHARED_WITH_SCHOOL, A.COMPLETED}
    in_progress = by_state[A.IN_PROGRESS]
    assert in_progress.domains.count() == 3 and in_progress.methods.count() == 7
    clock = Deadline.objects.get(subject_id=in_progress.pk, timescale__key="school_assessment")
    assert clock.rag(timezone.now()) == "red"
    assert by_state[A.SHARED_WITH_SCHOOL].school_response.startswith("We recognise")
    completed = by_state[A.COMPLETED]
    assert completed.referral.plans.get().state == "drafting"
    visible_to_dsl = set(
        SchoolAssessment.objects.visible_to(p["dsl"]).values_list("state", flat=True)
    )
    assert visible_to_dsl == {A.SHARED_WITH_SCHOOL, A.COMPLETED}
