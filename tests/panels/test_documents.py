"""Case documents: the outcome letter (page and PDF) for whoever may see the case, the
minutes (page and PDF) and the calendar invitation for the panel's members only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from panels import documents, services
from referrals.models import CaseAccessLog
from tests.accounts.factories import ContextPanelFactory, SchoolFactory, dsl_of, panel_member_of
from tests.panels.factories import awaiting_panel, decision_args, meeting_for

# A weekday morning: meeting_for schedules the meeting a minute ahead and opens it, which
# works only on the meeting's own day (never across midnight).
MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MORNING, tick=False)]

# Free text is plain text, but "<" without a closing ">" and "&" pass the validator: shown
# as text, they must never become markup.
TRICKY = "Pupils typed <script & \"quotes\" & 'x < y' in the group chat."


def decided(**changes):
    """A referral decided at an open meeting: (referral, meeting, decision)."""
    referral = awaiting_panel()
    meeting = meeting_for(referral)
    decision = services.decision_record(
        referral=referral,
        by=referral.people["panel_member"],
        meeting=meeting,
        **decision_args(referral, **changes),
    )
    return referral, meeting, decision


def approved(meeting, chair, actions="Chair to write to the school about the bus route."):
    meeting = services.meeting_draft_minutes(meeting=meeting, by=chair, actions=actions)
    return services.meeting_approve_minutes(meeting=meeting, by=chair)


def page(client, user, name, pk, **params):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]), params)


# --- the outcome letter ------------------------------------------------------------------


def test_the_document_urls_are_not_shadowed_by_the_referral_actions():
    assert resolve("/referrals/1/outcome/").func is documents.outcome_letter
    assert resolve("/referrals/1/outcome.pdf").func is documents.outcome_letter_pdf
    assert resolve("/meetings/1/minutes/").func is documents.meeting_minutes
    assert resolve("/meetings/1/minutes.pdf").func is documents.meeting_minutes_pdf
    assert resolve("/meetings/1/invite.ics").func is documents.meeting_ics


def test_the_dsl_reads_the_outcome_letter(client):
    referral, meeting, decision = decided(advice="Keep the top corridor supervised.")
    people = referral.people
    response = page(client, people["dsl"], "outcome_letter", referral.pk)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Outcome of referral {referral.reference}" in text
    assert escape(people["dsl"]) in text  # addressed to the school's DSLs
    assert "Child in need" in text
    assert "School Assessment by Children&#x27;s Social Care" in text
    assert decision.rationale in text
    assert "Keep the top corridor supervised." in text
    assert escape(people["practitioner"]) in text and escape(people["team"].name) in text
    assert f"{decision.start_by:%-d %B %Y}" in text
    assert people["panel"].name in text
    assert f"{timezone.localtime(meeting.starts_at):%-d %B %Y}" in text
    assert f"recorded by {escape(people['panel_member'])}" in text
    assert reverse("outcome_letter_pdf", args=[referral.pk]) in text
    assert "print" in text.lower() and "print.css" in text
    assert "replaces an earlier" not in text


def test_free_text_in_the_letter_is_shown_as_text(client):
    referral, _, _ = decided(rationale=TRICKY, advice=TRICKY)
    text = page(client, referral.people["dsl"], "outcome_letter", referral.pk).content.decode()
    assert "Pupils typed &lt;script &amp; &quot;quotes&quot; &amp; &#x27;x &lt; y&#x27;" in text
    assert "<script &" not in text


def test_another_schools_dsl_gets_404_and_no_log(client):
    referral, _, _ = decided()
    stranger = dsl_of(SchoolFactory(authority=referral.school.authority))
    for name in ("outcome_letter", "outcome_letter_pdf"):
        assert page(client, stranger, name, referral.pk).status_code == 404
    assert not CaseAccessLog.objects.filter(referral=referral).exists()


def test_no_letter_before_a_decision(client):
    referral = awaiting_panel()
    assert page(client, referral.people["dsl"], "outcome_letter", referral.pk).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client):
    referral, _, _ = decided()
    response = client.get(reverse("outcome_letter", args=[referral.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_viewing_the_letter_is_logged(client):
    referral, _, _ = decided()
    dsl = referral.people["dsl"]
    page(client, dsl, "outcome_letter", referral.pk)
    page(client, dsl, "outcome_letter_pdf", referral.pk)
    logged = CaseAccessLog.objects.filter(referral=referral, user=dsl).order_by("at", "pk")
    assert [e.page for e in logged] == ["outcome_letter", "outcome_letter_pdf"]


def test_the_letter_as_a_pdf(client):
    referral, _, _ = decided(rationale=TRICKY)
    response = page(client, referral.people["dsl"], "outcome_letter_pdf", referral.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="outcome-{referral.reference}.pdf"'
    )
    assert referral.reference.startswith("SR-")
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_a_superseded_decisions_letter_shows_the_latest_and_the_reason(client):
    referral, _, first = decided()
    services.decision_step(
        previous=first,
        by=referral.people["panel_member"],
        change_reason="Police shared new information about exploitation.",
        **decision_args(
            referral,
            level="child_protection",
            pathway="beyond_referrals",
            rationale="Exploitation risk is now significant.",
        ),
    )
    text = page(client, referral.people["dsl"], "outcome_letter", referral.pk).content.decode()
    assert "Child protection" in text
    assert "Exploitation risk is now significant." in text
    assert first.rationale not in text
    assert "This decision replaces an earlier one" in text
    assert "Police shared new information about exploitation." in text
    assert "Child in need" in text  # what it replaced


def test_a_below_threshold_letter_says_nobody_will_contact_the_school(client):
    referral, _, _ = decided(level="below_threshold", pathway="manage_internally")
    text = page(client, referral.people["dsl"], "outcome_letter", referral.pk).content.decode()
    assert "Below threshold" in text
    assert "nobody from the local authority will contact you" in text


# --- minutes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["meeting_minutes", "meeting_minutes_pdf", "meeting_ics"])
def test_minutes_and_invitations_are_for_the_panels_members_only(client, name):
    referral, meeting, _ = decided()
    other_panel = ContextPanelFactory(authority=referral.school.authority)
    for outsider in (referral.people["dsl"], panel_member_of(other_panel)):
        assert page(client, outsider, name, meeting.pk).status_code == 404
    assert page(client, referral.people["panel_member"], name, meeting.pk).status_code == 200


def test_minutes_before_approval_are_a_draft(client):
    referral, meeting, decision = decided()
    member = referral.people["panel_member"]
    text = page(client, member, "meeting_minutes", meeting.pk).content.decode()
    assert "Draft: not yet approved" in text
    assert decision.rationale in text
    assert referral.reference in text
    assert "Version 1" not in text

    services.meeting_draft_minutes(
        meeting=meeting, by=referral.people["panel_chair"], actions="Chase the bus company."
    )
    text = page(client, member, "meeting_minutes", meeting.pk).content.decode()
    assert "Draft: not yet approved" in text
    assert "Chase the bus company." in text


def test_approved_minutes_are_frozen(client):
    referral, meeting, decision = decided(rationale=TRICKY)
    people = referral.people
    approved(meeting, people["panel_chair"])
    school_name = referral.school.name
    text = page(client, people["panel_member"], "meeting_minutes", meeting.pk).content.decode()
    assert "Draft" not in text
    assert (
        f"Version 1, approved by {escape(people['panel_chair'])} on "
        f"{timezone.localdate():%-d %B %Y}" in text
    )
    assert "Pupils typed &lt;script &amp;" in text and "<script &" not in text
    assert escape(people["panel_member"]) in text  # attendance
    assert "Chair to write to the school about the bus route." in text

    # Later: the decision steps up and the school is renamed. The approved minutes stand.
    services.decision_step(
        previous=decision,
        by=people["panel_member"],
        change_reason="New information.",
        **decision_args(
            referral,
            level="child_protection",
            pathway="beyond_referrals",
            rationale="A later decision, outside this meeting.",
        ),
    )
    referral.school.name = "Renamed Academy"
    referral.school.save()
    text = page(client, people["panel_member"], "meeting_minutes", meeting.pk).content.decode()
    assert "Version 1" in text
    assert school_name in text and "Renamed Academy" not in text
    assert "Child in need" in text
    assert "A later decision, outside this meeting." not in text

    pdf = page(client, people["panel_member"], "meeting_minutes_pdf", meeting.pk)
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('-v1.pdf"')


def test_amended_minutes_show_version_2_and_why(client):
    referral, meeting, _ = decided()
    people = referral.people
    chair = people["panel_chair"]
    meeting = approved(meeting, chair)
    meeting = services.meeting_amend_minutes(
        meeting=meeting, by=chair, reason="The attendance list missed the police officer."
    )
    # While the amendment is in draft, version 1 stands.
    text = page(client, people["panel_member"], "meeting_minutes", meeting.pk).content.decode()
    assert "Version 1, approved by" in text
    assert "An amendment is in progress" in text
    draft = page(client, people["panel_member"], "meeting_minutes", meeting.pk, version="draft")
    assert "Draft: not yet approved" in draft.content.decode()

    services.meeting_approve_minutes(meeting=meeting, by=chair)
    text = page(client, people["panel_member"], "meeting_minutes", meeting.pk).content.decode()
    assert "Version 2, approved by" in text
    assert "The attendance list missed the police officer." in text
    assert "Versions of these minutes" in text
    assert f"{reverse('meeting_minutes', args=[meeting.pk])}?version=1" in text

    first = page(client, people["panel_member"], "meeting_minutes", meeting.pk, version="1")
    assert "Version 1, approved by" in first.content.decode()
    assert "This is an earlier version" in first.content.decode()
    missing = page(client, people["panel_member"], "meeting_minutes", meeting.pk, version="7")
    assert missing.status_code == 404


# --- the calendar invitation -------------------------------------------------------------


def test_the_invitation_parses_with_the_meetings_times_and_uid(client):
    referral, meeting, _ = decided()
    response = page(client, referral.people["panel_member"], "meeting_ics", meeting.pk)
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@school-referrals"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == meeting.starts_at.replace(microsecond=0)
    assert end == meeting.ends_at.replace(microsecond=0)
    assert end - start == dt.timedelta(hours=2)
    assert str(event["SUMMARY"]) == referral.people["panel"].name
    assert str(event["LOCATION"]) == "Room 4, Civic Centre"
    assert f"http://testserver/meetings/{meeting.pk}/" in str(event["DESCRIPTION"])
