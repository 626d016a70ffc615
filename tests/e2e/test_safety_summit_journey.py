"""Issue 12's summit journey through a real browser: a panel member decides a Student Safety
Summit; the lead plans it (activities, another school, practitioners), schedules it with the
GOV.UK date input, records the day (young people counted, the safety map, what they said, a
next step), marks it held and shares the report; the DSL of the case's school reads the
report. Fields are found by their labels; each main page passes axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.plans.models import CasePlan
from safety_summits.summit.choices import SummitState
from safety_summits.summit.models import SafetySummit
from tests.accounts.factories import SchoolFactory, dsl_of
from tests.e2e.browser import assert_accessible, fill_date, sign_in, sign_out
from tests.panels.factories import awaiting_panel, meeting_for


@pytest.fixture
def case(transactional_db):
    referral = awaiting_panel()
    people = referral.people
    for role, name in (
        ("panel_member", "Morgan Member"),
        ("practitioner", "Lee Practitioner"),
        ("dsl", "Dana Lead"),
    ):
        people[role].full_name = name
        people[role].save(update_fields=["full_name"])
    other = SchoolFactory(authority=referral.school.authority, name="Riverside College")
    people.update(other_school=other, other_dsl=dsl_of(other))
    referral.meeting = meeting_for(referral, open_=True)
    return referral


def decide_a_summit(page: Page, live_server, case):
    people = case.people
    sign_in(page, live_server, people["panel_member"])
    page.goto(f"{live_server.url}/meetings/{case.meeting.pk}/decide/{case.pk}/")
    page.get_by_role("group", name="Threshold level").get_by_role(
        "radio", name="Universal / early help", exact=True
    ).check()
    page.get_by_role("group", name="Pathway").get_by_role(
        "radio", name="Student Safety Summit", exact=True
    ).check()
    page.get_by_label("Rationale", exact=True).fill("Young people at two schools feel unsafe.")
    page.get_by_label("Advice to the school", exact=True).fill("Staff the gate at home time.")
    page.get_by_label("Lead practitioner", exact=True).select_option(label="Lee Practitioner")
    page.get_by_label("Lead team", exact=True).select_option(label=people["team"].name)
    start_by = timezone.localdate() + dt.timedelta(days=10)
    fill_date(page, start_by, "Work starts by")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", name="Decisions at this meeting", level=2)).to_be_visible()
    sign_out(page)
    return SafetySummit.objects.get(referral=case)


def test_from_the_panels_decision_to_the_summit_report(page: Page, live_server, case):
    people = case.people
    summit = decide_a_summit(page, live_server, case)

    # The lead plans it from the case page.
    sign_in(page, live_server, people["practitioner"])
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Go to the Student Safety Summit").click()
    expect(page.get_by_role("heading", name="Student Safety Summit", level=1)).to_be_visible()
    assert_accessible(page, "summit being planned")
    page.get_by_role("link", name="Plan the activities").click()
    page.get_by_label("Safety mapping of the school", exact=True).check()
    page.get_by_label("Online spaces and platforms", exact=True).check()
    page.get_by_label("How young people are invited", exact=True).fill("Ten Year 9 volunteers")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The summit's plan is saved.")).to_be_visible()

    page.get_by_role("link", name="Invite schools").click()
    page.get_by_label("Invite a school or college", exact=True).fill("Riverside")
    page.get_by_role("button", name="Find and invite").click()
    expect(page.get_by_text("Riverside College is invited.")).to_be_visible()
    assert_accessible(page, "inviting schools")
    page.get_by_role("link", name="Back to the summit").click()

    page.get_by_role("link", name="Invite practitioners").click()
    page.get_by_role("button", name="Invite").click()  # refused: who?
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the agency")
    assert_accessible(page, "invite form with errors")
    page.get_by_label("Or the name of someone who does not", exact=True).fill("PC Shah")
    page.get_by_label("Agency", exact=True).select_option(label="Police")
    page.get_by_role("button", name="Invite").click()
    page.get_by_label("A person who uses this service", exact=True).select_option(label="Dana Lead")
    page.get_by_label("Agency", exact=True).select_option(
        label="School or college (safeguarding lead, teacher)"
    )
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("PC Shah, Police")).to_be_visible()
    page.get_by_role("link", name="Back to the summit").click()

    page.get_by_role("link", name="Schedule the summit").click()
    fill_date(page, timezone.localdate() + dt.timedelta(days=7), "Date of the summit")
    page.get_by_label("Start time", exact=True).fill("09:00")
    page.get_by_label("End time", exact=True).fill("12:30")
    page.get_by_label("Host school", exact=True).select_option(label=case.school.name)
    page.get_by_label("Where is it held?", exact=True).fill("The sports hall")
    assert_accessible(page, "schedule form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The summit is scheduled.")).to_be_visible()

    # The day comes: the summit took place this morning (the test moves it, not the clock).
    now = timezone.now()
    SafetySummit.objects.filter(pk=summit.pk).update(
        starts_at=now - dt.timedelta(hours=4), ends_at=now - dt.timedelta(hours=1)
    )
    page.reload()
    page.get_by_role("link", name="Record the day").click()
    turnout = page.locator("form", has=page.locator("input[value=turnout]"))
    turnout.get_by_label("School or college", exact=True).select_option(label=case.school.name)
    turnout.get_by_label("Year 9", exact=True).fill("-3")  # refused: not a count
    turnout.get_by_role("button", name="Save the numbers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be negative")
    assert_accessible(page, "record of the day with errors")
    turnout = page.locator("form", has=page.locator("input[value=turnout]"))
    turnout.get_by_label("Year 9", exact=True).fill("12")
    turnout.get_by_role("button", name="Save the numbers").click()
    place = page.locator("form", has=page.locator("input[value=place]"))
    place.get_by_label("School or college", exact=True).select_option(label=case.school.name)
    place.get_by_label("A space in the school", exact=True).check()
    place.get_by_label("The place, space or platform", exact=True).fill("The top corridor")
    place.get_by_label("How many marked it safe", exact=True).fill("2")
    place.get_by_label("How many marked it unsafe", exact=True).fill("9")
    place.get_by_label("Their suggestions to make it safer", exact=True).fill("Staff at break")
    place.get_by_role("button", name="Add the place").click()
    voice = page.locator("form", has=page.locator("input[value=voice]"))
    voice.get_by_label("School or college", exact=True).select_option(label=case.school.name)
    voice.get_by_label("Why they might not talk to a teacher", exact=True).check()
    voice.get_by_label("What they said", exact=True).fill("They would tell our parents.")
    voice.get_by_role("button", name="Add", exact=True).click()
    action = page.locator("form", has=page.locator("input[value=action]"))
    action.get_by_label("What will be done", exact=True).fill("Staff the top corridor at break")
    action.get_by_label("Why: the finding or concern it answers", exact=True).fill(
        "Young people feel unsafe there"
    )
    action.get_by_label("Or a named contact (name, role and organisation)", exact=True).fill(
        "Head of Year 9"
    )
    fill_date(page, timezone.localdate() + dt.timedelta(days=30), "Due date")
    action.get_by_role("button", name="Add the next step").click()
    expect(page.get_by_role("table", name="Next steps agreed")).to_contain_text(
        "Staff the top corridor at break"
    )
    assert_accessible(page, "record of the day")

    page.get_by_role("link", name="Mark the summit held").first.click()
    page.get_by_label("Dana Lead, School or college (safeguarding lead, teacher)").check()
    page.get_by_role("button", name="Mark the summit held").click()
    expect(page.get_by_text("The summit is recorded as held")).to_be_visible()
    assert CasePlan.objects.get(case=case).actions.count() == 1
    assert_accessible(page, "held summit")
    page.get_by_role("button", name="Share the report").click()
    expect(page.get_by_text("The report has been shared")).to_be_visible()
    assert SafetySummit.objects.get(pk=summit.pk).state == SummitState.REPORTED
    sign_out(page)

    # The DSL of the case's school reads the report from their inbox's link.
    sign_in(page, live_server, people["dsl"])
    page.goto(f"{live_server.url}{summit.get_absolute_url()}")
    page.get_by_role("link", name="Read the summit report").click()
    expect(
        page.get_by_role("heading", name="Student Safety Summit report", level=1)
    ).to_be_visible()
    expect(
        page.get_by_role(
            "table", name="Places young people marked safe or unsafe, and their suggestions"
        )
    ).to_contain_text("The top corridor")
    expect(
        page.get_by_role(
            "img", name="Safety map: how many young people marked each place safe and unsafe"
        )
    ).to_be_visible()
    assert_accessible(page, "summit report")
