"""A school's Beyond Referrals self-assessment through a real browser: the DSL answers each
lever (GREEN first, then AMBER, then RED), saves part-way, is told what is missing, submits,
and sees the radar charts with their tables. The pages pass axe-core's checks."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from self_assessments.models import Item, SelfAssessment
from tests.e2e.browser import sign_in
from tests.self_assessments.factories import pathway_audit

AXE = Axe()


@pytest.fixture
def audit(transactional_db):
    audit = pathway_audit()
    dsl = audit.people["dsl"]
    dsl.full_name = "Dana Lead"
    dsl.save(update_fields=["full_name"])
    return audit


def assert_accessible(page: Page, what):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def answer_section(page: Page, items, choices):
    for item in items:
        level = choices.get(item.number, "GREEN")
        group = page.get_by_role("group", name=f"{item.number} {item.title}", exact=True)
        group.get_by_role("radio", name=re.compile(rf"^{level} \(scores")).check()
        page.get_by_role("group", name=f"Evidence used for {item.number}").get_by_label(
            "Review of behaviour logs"
        ).check()
        page.get_by_label(f"Note for {item.number}", exact=True).fill(
            f"Seen in the behaviour logs ({item.number})"
        )


def test_dsl_completes_a_beyond_referrals_self_assessment(page: Page, live_server, audit):
    items = list(Item.objects.filter(instrument=audit.instrument).select_related("section"))
    by_section = {}
    for item in items:
        by_section.setdefault(item.section.position, []).append(item)

    sign_in(page, live_server, audit.people["dsl"])
    page.goto(f"{live_server.url}/self-assessments/")
    expect(page.get_by_role("heading", name="Self-assessment audits", level=1)).to_be_visible()
    page.get_by_role("link", name=audit.title).click()
    expect(page.get_by_role("heading", name=audit.title, level=1)).to_be_visible()
    expect(page.locator(".app-attribution")).to_contain_text("Contextual Safeguarding Network")
    assert_accessible(page, "self-assessment, not started")

    # The first lever, saved part-way.
    page.get_by_role("link", name="1. Structures and systems").click()
    expect(
        page.get_by_role("heading", name="Lever 1: Structures and systems", level=1)
    ).to_be_visible()
    assert_accessible(page, "lever 1")
    answer_section(page, by_section[1][:3], {"1.3": "RED"})
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("alert")).to_contain_text("Your answers to Structures and systems")
    expect(page.locator("#section-1-status")).to_contain_text("3 of 7 answered")

    # Submitting early lists what is missing.
    page.get_by_role("link", name="Check answers and submit").click()
    page.get_by_role("button", name="Submit the self-assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("18 items are not answered yet")
    expect(summary.get_by_role("link", name="Answer 1.4 MA awareness of school")).to_be_visible()
    assert_accessible(page, "submit with missing answers")

    # Every lever, in turn; theme 4.2 is RED too.
    summary.get_by_role("link", name="Answer 1.4 MA awareness of school").click()
    answer_section(page, by_section[1][3:], {})
    page.get_by_role("button", name="Save and continue").click()
    for position in (2, 3, 4):
        expect(page.get_by_role("heading", name=re.compile(rf"^Lever {position}:"))).to_be_visible()
        answer_section(page, by_section[position], {"4.2": "AMBER", "4.3": "RED"})
        page.get_by_role(
            "button", name="Save and check answers" if position == 4 else "Save and continue"
        ).click()

    expect(page.get_by_role("heading", name="Check your answers and submit")).to_be_visible()
    expect(page.get_by_text("Every item is answered: 37 of 42 (88%).")).to_be_visible()
    page.get_by_role("button", name="Submit the self-assessment").click()

    expect(page.get_by_role("alert")).to_contain_text("Self-assessment submitted.")
    expect(page.locator(".govuk-tag", has_text="Submitted")).to_be_visible()
    assert SelfAssessment.objects.get(pk=audit.pk).state == "submitted"

    # The radar charts: an overall one and one per lever, each with its table.
    charts = page.get_by_role("img", name=re.compile(r"radar chart", re.IGNORECASE))
    expect(charts).to_have_count(5)
    overall = page.get_by_role("img", name=re.compile(r"^Overall radar chart"))
    expect(overall).to_be_visible()
    expect(overall).to_contain_text("12 of 14 (86%)")
    table = page.locator('table[data-chart="chart-overall"]')
    expect(table).to_contain_text("12 of 14 (86%)")
    lever = page.locator('table[data-chart="chart-section-1"]')
    expect(lever.get_by_role("row", name=re.compile(r"^1\.3 "))).to_contain_text("RED 0 of 2")
    assert_accessible(page, "submitted self-assessment with charts")
    page.screenshot(path="/tmp/self_assessment_results.png", full_page=True)
