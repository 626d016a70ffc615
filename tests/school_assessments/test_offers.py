"""What the workspace offers is decided by school_assessments.permissions.offers, not by the
template: the lead is offered the one next step of each state; the school's DSL only the
response, once the findings are shared; nobody is offered a step on a finished one."""

import pytest

from school_assessments import permissions
from tests.school_assessments.factories import in_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "next_step", "editable"),
    [
        ("planned", "start", False),
        ("in_progress", "draft-findings", True),
        ("findings_drafted", "share", True),
        ("shared_with_school", "complete", True),
        ("completed", None, False),
    ],
)
def test_the_lead_is_offered_the_next_step_and_the_school_only_its_response(
    state, next_step, editable
):
    assessment = in_state(state)
    lead = permissions.offers(assessment.people["practitioner"], assessment)
    assert (lead["is_worker"], lead["next_step"], lead["editable"]) == (True, next_step, editable)
    assert lead["may_respond"] is False
    school = permissions.offers(assessment.people["dsl"], assessment)
    assert (school["is_worker"], school["next_step"], school["editable"]) == (False, None, False)
    assert school["may_respond"] is (state == "shared_with_school")


def test_the_page_shows_only_the_offered_step(client):
    assessment = in_state("findings_drafted")
    client.force_login(assessment.people["practitioner"])
    page = client.get(f"/school-assessments/{assessment.pk}/").content.decode()
    assert "Share with the school" in page
    assert "Mark findings drafted" not in page and "Complete the assessment</button>" not in page
