"""Pages state a timescale only as the authority's catalogue sets it: edit the catalogue and
every page that names the period says the new one."""

import pytest

from notifications.catalogue import period_words, seed_timescales
from notifications.models import Timescale
from tests.referrals.factories import draft, in_state
from tests.school_assessments.factories import in_state as assessment_in

pytestmark = pytest.mark.django_db


def edit(authority, key, period, unit="working_days"):
    seed_timescales(authority)
    Timescale.objects.filter(authority=authority, key=key).update(period=period, period_unit=unit)


def test_period_words():
    referral = in_state("submitted")
    authority = referral.school.authority
    assert period_words(authority, "screening_decision") == "1 working day"
    assert period_words(authority, "plan_review") == "3 months"
    edit(authority, "screening_decision", 2)
    edit(authority, "plan_review", 1, "months")
    assert period_words(authority, "screening_decision") == "2 working days"
    assert period_words(authority, "plan_review") == "1 month"


def test_the_screening_period_on_the_check_page_the_queue_and_the_message(client):
    referral = draft()
    authority = referral.school.authority
    edit(authority, "screening_decision", 2)
    client.force_login(referral.created_by)
    page = client.get(f"/referrals/{referral.pk}/check/").content.decode()
    assert "screening decision within 2 working days" in page
    response = client.post(
        f"/referrals/{referral.pk}/check/", {"version": referral.version}, follow=True
    )
    assert "The front door will screen it within 2 working days." in response.content.decode()
    officer = in_state("submitted", school=referral.school).people["front_door"]
    client.force_login(officer)
    assert "a decision within 2 working days" in client.get("/front-door/").content.decode()


def test_the_plan_agreed_period_on_the_school_assessment(client):
    assessment = assessment_in("shared_with_school")
    authority = assessment.referral.school.authority
    edit(authority, "plan_agreed", 12)
    client.force_login(assessment.people["practitioner"])
    page = client.get(f"/school-assessments/{assessment.pk}/").content.decode()
    assert "agreed with the school within 12 working days" in page


def test_the_plan_review_periods_on_the_agree_page_and_its_message(client):
    from tests.referrals.plan_factories import plan_with_actions

    case, plan, _ = plan_with_actions()
    authority = case.school.authority
    edit(authority, "plan_review", 2, "months")
    edit(authority, "plan_review_next", 4, "months")
    client.force_login(case.people["practitioner"])
    url = f"/referrals/{case.pk}/plan/agree/"
    page = client.get(url).content.decode()
    assert "first review falls due in 2 months, then every 4 months" in page
    response = client.post(
        url, {"version": plan.version, "agreed_with": "DSL and police"}, follow=True
    )
    assert "Its first review is due in 2 months." in response.content.decode()
