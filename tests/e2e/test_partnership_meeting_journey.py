"""The School Partnership Meeting through a real browser, from a meeting the panel's decision
opened (the decision itself is covered by tests/panels): the lead schedules it with the
GOV.UK date input and an agenda; the school's DSL completes the pre-meeting document; once
it has taken place, the lead records a peer group, a place and an action, marks it held
under the agreed terms and sends the safety plan; the DSL reads the safety plan. Fields are
found by their labels; the main pages pass axe-core, with and without errors.

The live server runs on the real clock, so dates are relative to today: the meeting is
scheduled for tomorrow, and then moved into the past in the database (the time passing)
before it is marked held."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safety_summits.choices import MeetingState as M
from safety_summits.models import SchoolPartnershipMeeting
from tests.e2e.browser import assert_accessible, fill_date, sign_in, sign_out
from tests.safety_summits.factories import planned


@pytest.fixture
def meeting(transactional_db):
    meeting = planned()
    for role, name in (("practitioner", "Lee Practitioner"), ("dsl", "Dana Lead")):
        person = meeting.people[role]
        person.full_name = name
        person.save(update_fields=["full_name"])
    return meeting


def test_from_scheduling_to_the_safety_plan(page: Page, live_server, meeting):
    people = meeting.people
    lead, dsl = people["practitioner"], people["dsl"]
    meeting_url = f"{live_server.url}/partnership-meetings/{meeting.pk}/"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    # The lead schedules it, with the GOV.UK date input and an agenda.
    sign_in(page, live_server, lead)
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name="School Partnership Meeting", level=1)).to_be_visible()
    assert_accessible(page, "the planned meeting")
    page.get_by_role("link", name="Schedule the meeting").click()
    page.get_by_role("button", name="Save").click()  # refused: nothing entered
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date of the meeting")
    assert_accessible(page, "schedule form with errors")
    fill_date(page, tomorrow)
    page.get_by_label("Start time", exact=True).fill("10:00")
    page.get_by_label("End time", exact=True).fill("11:30")
    page.get_by_role("radio", name="At the school").check()
    page.get_by_label("Room at the school, or the link to join online", exact=True).fill(
        "Library meeting room"
    )
    page.get_by_label("Agenda (optional)", exact=True).fill(
        "1. The terms of reference\n2. The pre-meeting document\n3. Actions"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The meeting is scheduled")).to_be_visible()
    expect(page.get_by_text("2. The pre-meeting document")).to_be_visible()
    assert_accessible(page, "the scheduled meeting")
    sign_out(page)

    # The school's DSL completes the pre-meeting document.
    sign_in(page, live_server, dsl)
    page.goto(meeting_url)
    page.get_by_role("link", name="Complete the pre-meeting document").click()
    # The new page, not the old one mid-navigation, is what axe must check.
    expect(page.get_by_role("heading", name="Pre-meeting document", level=1)).to_be_visible()
    assert_accessible(page, "the pre-meeting document")
    for label, text in (
        ("Trends and themes affecting students", "Year 9 girls arriving with gifts."),
        ("Peer groups", "AB, CD, EF"),
        ("Places and online spaces", "The park by the station after school."),
        ("What the school has tried", "Staff at the gate at home time."),
        ("Strengths", "The girls trust the pastoral lead."),
    ):
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Save and mark complete").click()
    expect(page.get_by_text("The pre-meeting document is complete")).to_be_visible()
    sign_out(page)

    # The meeting takes place (the live server keeps the real clock, so it moves back).
    now = timezone.now()
    SchoolPartnershipMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1)
    )

    # The lead tries to mark it held with nothing recorded: the summary links to the place
    # on the page that says so, which links to where it is recorded.
    sign_in(page, live_server, lead)
    page.goto(meeting_url)
    page.get_by_role("link", name="Record the meeting").click()
    page.get_by_role("link", name="Mark the meeting held").first.click()
    page.get_by_role("button", name="Mark the meeting held").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_accessible(page, "hold form with errors")
    summary.get_by_role("link", name="Record at least one action for the safety plan").click()
    expect(page).to_have_url(re.compile("#id_actions$"))
    expect(page.locator("#id_actions")).to_be_focused()
    page.get_by_role("link", name="Record a peer group or place").click()

    # The record: a peer group and an action.
    expect(page.get_by_role("heading", name="Record the meeting", level=1)).to_be_visible()
    page.get_by_role("radio", name="A peer group").check()
    page.get_by_label("The peer group (identifiers or initials only) or the place").fill(
        "AB, CD, EF"
    )
    page.get_by_label("Concerns", exact=True).fill("Adults in cars waiting at the park.")
    page.get_by_label("Strengths", exact=True).fill("They look out for each other.")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added to the record of the meeting")).to_be_visible()
    page.get_by_label("What will be done", exact=True).fill("Patrols at the park at 4pm")
    page.get_by_label("Why: the finding or concern it answers", exact=True).fill(
        "Adults waiting in cars"
    )
    page.get_by_label("Or a named contact (name, role and organisation)", exact=True).fill(
        "PC Shah, Safer Schools, police"
    )
    fill_date(page, timezone.localdate() + dt.timedelta(days=21))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Patrols at the park at 4pm", exact=True)).to_be_visible()
    assert_accessible(page, "the record of the meeting")

    # Held, under the agreed terms; then the safety plan goes out.
    page.get_by_role("link", name="Mark the meeting held").first.click()
    page.get_by_role("checkbox", name="Lee Practitioner").check()
    page.get_by_role("checkbox", name="Dana Lead").check()
    page.get_by_role(
        "checkbox", name=re.compile("^The attendees agreed to work under the terms")
    ).check()
    page.get_by_label(
        "Version of the terms of reference and information-sharing agreement", exact=True
    ).fill("Version 2.1, March 2026")
    fill_date(page, timezone.localdate())
    page.get_by_label("Who agreed the terms", exact=True).fill("Everyone who attended")
    page.get_by_label("Notes of the meeting", exact=True).fill("Meet again in six weeks.")
    assert_accessible(page, "the hold form")
    page.get_by_role("button", name="Mark the meeting held").click()
    expect(page.get_by_text("The meeting is recorded as held")).to_be_visible()
    page.get_by_role("button", name="Send the safety plan").click()
    expect(page.get_by_text("The safety plan has been sent")).to_be_visible()
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.PLAN_DISTRIBUTED
    sign_out(page)

    # The DSL reads the safety plan.
    sign_in(page, live_server, dsl)
    page.goto(meeting_url)
    page.get_by_role("link", name="Read the safety plan").click()
    expect(
        page.get_by_role("heading", name="Safety plan: School Partnership Meeting", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Patrols at the park at 4pm")).to_be_visible()
    expect(page.get_by_text("Version 2.1, March 2026")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Download the safety plan as a PDF"))
    ).to_be_visible()
    assert_accessible(page, "the safety plan")
