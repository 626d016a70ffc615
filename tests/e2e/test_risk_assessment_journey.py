"""A risk assessment through a real browser: a referral reporting sexual violence arrives
with an immediate risk and needs assessment due; the school's DSL opens it from the case
page, is told what is missing, completes it, and the review clock takes over. The form,
with and without errors, and the practitioner's caseload pass axe-core."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.risks.models import RiskAssessment
from tests.e2e.browser import sign_in
from tests.referrals.risk_factories import SEXUAL_VIOLENCE, allocated, referral_with

AXE = Axe()


@pytest.fixture
def referral(transactional_db):
    return allocated(referral_with(SEXUAL_VIOLENCE))


def assert_accessible(page: Page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def test_the_dsl_completes_the_immediate_risk_assessment(page: Page, live_server, referral):
    sign_in(page, live_server, referral.people["dsl"])
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    section = page.locator("#risk-assessments + table")
    expect(section).to_contain_text("Required")
    expect(section).to_contain_text("Immediate risk and needs assessment")
    page.get_by_role("link", name="Immediate risk and needs assessment").click()

    page.get_by_role("button", name="Complete the risk assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the risk level")
    expect(summary).to_contain_text("Enter the next review date")
    assert_accessible(page, "risk assessment form with errors")

    page.get_by_label("The victim: their protection, support, needs and wishes").fill(
        "Wants to stay in her form group; a trusted adult chosen with her."
    )
    page.get_by_label("The alleged perpetrator or perpetrators").fill("On a separate timetable.")
    page.get_by_label("The time and place of the incident").fill("The bus home, 4.10pm.")
    measures = page.get_by_role("group", name="Which measures are in place?")
    measures.get_by_label("Separate or supervised transport").check()
    measures.get_by_label("A trusted adult for the victim").check()
    page.get_by_role("group", name="What is the risk level?").get_by_label("High").check()
    page.get_by_label("Reasons for the risk level").fill("Continuing contact on the bus.")
    review_on = timezone.localdate() + dt.timedelta(days=20)
    review = page.get_by_role("group", name="Next review date")
    review.get_by_label("Day").fill(str(review_on.day))
    review.get_by_label("Month").fill(str(review_on.month))
    review.get_by_label("Year").fill(str(review_on.year))
    page.get_by_role("button", name="Complete the risk assessment").click()

    expect(page.get_by_role("link", name="Review this risk assessment")).to_be_visible()
    assessment = RiskAssessment.objects.get(case=referral)
    assert assessment.state == "completed" and assessment.risk_level == "high"
    assert assessment.completed_by_role == "school"
    assert_accessible(page, "completed risk assessment")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, referral.people["practitioner"])
    page.get_by_role("link", name="Caseload").click()
    expect(page.get_by_role("link", name=referral.reference)).to_be_visible()
    expect(page.locator("table")).to_contain_text("Risk assessment review")
    assert_accessible(page, "caseload")
