"""The case page and the plan render offers computed for them (referrals.permissions.may_step,
plan_services.may_close_case): who is offered a step up or down, and who "close the case"."""

import pytest

from panels import services as panel_services
from referrals.permissions import may_step
from referrals.plans import services as plan_services
from referrals.plans.models import ReviewDecision
from tests.panels.factories import decision_args
from tests.referrals.plan_factories import decided_case, plan_with_actions

pytestmark = pytest.mark.django_db
STEP = "Step up or step down"


def test_only_the_cases_panel_is_offered_a_step_and_only_while_the_case_is_open(client):
    case = decided_case()
    member, dsl = case.people["panel_member"], case.people["dsl"]
    assert may_step(member, case) and not may_step(dsl, case)
    client.force_login(member)
    assert STEP in client.get(f"/referrals/{case.pk}/").content.decode()
    client.force_login(dsl)
    assert STEP not in client.get(f"/referrals/{case.pk}/").content.decode()

    panel_services.decision_step(
        previous=case.decisions.get(),
        by=member,
        change_reason="Resolved.",
        **decision_args(case, level="below_threshold", pathway="manage_internally"),
    )
    case.refresh_from_db()
    assert not may_step(member, case)
    client.force_login(member)
    assert STEP not in client.get(f"/referrals/{case.pk}/").content.decode()


def test_close_the_case_is_offered_to_the_lead_once_a_review_decides_to_close(client):
    case, plan, actions = plan_with_actions(agree=True)
    lead = case.people["practitioner"]
    assert not plan_services.may_close_case(lead, case)
    plan_services.plan_review(
        plan=plan,
        by=lead,
        decision=ReviewDecision.CLOSE,
        reason="Pupils say the bus is calm.",
        young_people_say="It feels safer.",
    )
    case.refresh_from_db()
    assert plan_services.may_close_case(lead, case)
    assert not plan_services.may_close_case(case.people["dsl"], case)
    client.force_login(lead)
    assert "Close the case</a>" in client.get(f"/referrals/{case.pk}/plan/").content.decode()
