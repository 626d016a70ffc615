"""Issue 5's journey through a real browser: the lead completes a School Assessment with the
school, agrees a plan with an action for the DSL; the DSL marks the action done with its
evidence; the lead reviews the plan and closes the case with its outcomes. Fields are found
by their labels; the plan, action and closure pages pass axe-core."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.choices import ReferralState
from referrals.models import PlanAction, SchoolReferral
from tests.e2e.browser import fill_date, sign_in
from tests.school_assessments.factories import planned

AXE = Axe()


@pytest.fixture
def assessment(transactional_db):
    assessment = planned()
    for role, name in (("practitioner", "Lee Practitioner"), ("dsl", "Dana Lead")):
        person = assessment.people[role]
        person.full_name = name
        person.save(update_fields=["full_name"])
    return assessment


def sign_out(page: Page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def assert_accessible(page: Page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def complete_the_assessment(page: Page, live_server, assessment):
    page.goto(f"{live_server.url}/school-assessments/{assessment.pk}/")
    page.get_by_role("button", name="Start the assessment").click()
    for domain in (
        "Pupil development needs",
        "Guardianship capacity",
        "Environmental and family factors",
    ):
        page.get_by_role("link", name=domain, exact=True).click()
        page.get_by_label("Strengths", exact=True).fill("Pupils trust their form tutors.")
        page.get_by_label("Concerns", exact=True).fill("No adult on the top corridor at lunch.")
        page.get_by_label("Evidence", exact=True).fill("Student focus group; walk-round.")
        page.get_by_role("radio", name=re.compile("^Some changes needed")).check()
        page.get_by_role("button", name="Save", exact=True).click()  # back to the workspace
    page.get_by_role("link", name="Methods used").click()
    page.get_by_role("radio", name="Focus group with students").check()
    fill_date(page, timezone.localdate(), "Date")
    page.get_by_label("Who took part", exact=True).fill("Eight Year 9 pupils, the lead")
    page.get_by_label("Summary", exact=True).fill("The corridor and the bus feel unsafe.")
    page.get_by_role("button", name="Add method").click()
    page.get_by_role("link", name="Back to the assessment").first.click()
    page.get_by_role("link", name="Findings and recommendations").click()
    page.get_by_label("Findings", exact=True).fill("Strong relationships; gaps in supervision.")
    page.get_by_label("Recommendations", exact=True).fill("Staff the top corridor at lunch.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Mark findings drafted").click()
    page.get_by_role("button", name="Share with the school").click()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("The case plan has been opened")).to_be_visible()


def test_from_assessment_to_closure(page: Page, live_server, assessment):
    people = assessment.people
    case_id = assessment.referral_id
    lead, dsl = people["practitioner"], people["dsl"]

    sign_in(page, live_server, lead)
    complete_the_assessment(page, live_server, assessment)

    # The plan: its aims, an action for the DSL, agreed.
    page.goto(f"{live_server.url}/referrals/{case_id}/plan/")
    expect(page.get_by_role("heading", name="Case plan", level=1)).to_be_visible()
    page.get_by_label("What the plan is for", exact=True).fill(
        "Pupils feel safe in the top corridor at lunchtime."
    )
    page.get_by_role("button", name="Save the aims").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will be done", exact=True).fill("Staff the top corridor at lunch")
    page.get_by_label("Why: the finding or concern it answers", exact=True).fill(
        "No adult on the top corridor"
    )
    page.get_by_label("Who owns it", exact=True).select_option(
        label=f"Dana Lead ({assessment.referral.school.name})"
    )
    due = timezone.localdate() + dt.timedelta(days=14)
    fill_date(page, due, "Due date")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("link", name="Staff the top corridor at lunch")).to_be_visible()
    assert_accessible(page, "plan being agreed")
    page.get_by_role("link", name="Agree the plan").click()
    page.get_by_role("button", name="Agree the plan").click()  # refused: who agreed it?
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who agreed the plan")
    assert_accessible(page, "agree form with errors")
    page.get_by_label("Who agreed the plan", exact=True).fill("DSL, head teacher and lead")
    page.get_by_role("button", name="Agree the plan").click()
    expect(page.get_by_text("The plan is agreed")).to_be_visible()
    sign_out(page)

    # The DSL finds their action and marks it done with its evidence.
    sign_in(page, live_server, dsl)
    page.get_by_role("link", name="My actions").click()
    page.get_by_role("link", name="Staff the top corridor at lunch").click()
    expect(
        page.get_by_role("heading", name="Staff the top corridor at lunch", level=1)
    ).to_be_visible()
    assert_accessible(page, "the DSL's action")
    page.get_by_role("button", name="Mark as done").click()  # refused: no evidence
    expect(page.locator(".govuk-error-summary")).to_contain_text("evidence of impact")
    page.get_by_label("Evidence of impact", exact=True).last.fill(
        "Rota in place for four weeks; pupils' survey: 78% now feel safe there."
    )
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("The action is updated")).to_be_visible()
    assert PlanAction.objects.get().state == "done"
    sign_out(page)

    # The lead reviews the plan, decides to close, and closes with the outcomes.
    sign_in(page, live_server, lead)
    page.goto(f"{live_server.url}/referrals/{case_id}/plan/")
    page.get_by_role("link", name="Record a review").click()
    page.get_by_label("What young people now say about safety", exact=True).fill(
        "The corridor is calm now; they know who to tell."
    )
    page.get_by_role("radio", name="Close the case").check()
    page.get_by_label("Reasons for the decision", exact=True).fill("The plan's aims are met.")
    page.get_by_role("button", name="Record the review").click()
    page.get_by_role("link", name="Close the case").click()
    expect(page.get_by_role("heading", name="Close the case with its outcomes")).to_be_visible()
    assert_accessible(page, "close the case")
    for label, text in (
        ("What changed for young people at the school", "The corridor is supervised; calm."),
        ("How young people were told", "Year 9 assembly and the school council."),
        ("How parents were told", "Letter home."),
        ("How the school community was told", "Staff briefing."),
        ("How safety will be sustained", "Termly survey; rota in the handbook."),
    ):
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("The case is closed and its outcomes recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcomes at closure")).to_be_visible()
    assert SchoolReferral.objects.get(pk=case_id).state == ReferralState.CLOSED
