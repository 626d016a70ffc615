"""A request for more information keeps the clock of whoever asked, and starts no other."""

import pytest

from notifications.models import Deadline
from referrals import services
from referrals.choices import ReferralState as S
from tests.referrals.factories import in_state

pytestmark = pytest.mark.django_db


def running(referral):
    return sorted(
        Deadline.objects.filter(case_id=referral.pk, status="running").values_list(
            "timescale__key", flat=True
        )
    )


def test_front_door_request_stops_the_screening_clock_and_the_answer_starts_a_new_one():
    """docs/decisions/0010-waiting-for-the-school.md."""
    referral = in_state(S.SUBMITTED)
    people = referral.people
    first = Deadline.objects.get(case_id=referral.pk)
    referral = services.referral_request_information(
        referral=referral, by=people["front_door"], message="Which routes?"
    )
    assert running(referral) == []
    first.refresh_from_db()
    assert first.status == "cancelled" and first.on_time is None
    services.referral_provide_information(
        referral=referral, by=people["dsl"], response="41 and 56."
    )
    assert running(referral) == ["screening_decision"]
    assert Deadline.objects.get(case_id=referral.pk, status="running").pk != first.pk


def test_panel_request_keeps_the_panel_clock_and_restarts_no_screening_clock():
    referral = in_state(S.AWAITING_PANEL)
    people = referral.people
    assert running(referral) == ["panel_threshold_decision"]
    referral = services.referral_request_information(
        referral=referral, by=people["panel_member"], message="The policy, please."
    )
    assert running(referral) == ["panel_threshold_decision"]
    services.referral_provide_information(referral=referral, by=people["dsl"], response="Attached.")
    assert running(referral) == ["panel_threshold_decision"]
    met = Deadline.objects.get(case_id=referral.pk, timescale__key="screening_decision")
    assert met.status == "met"
