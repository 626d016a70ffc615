"""The meeting through its pages: GOV.UK forms with the date input and an error summary
that links to each field; a refusal changes nothing; the safety plan prints and downloads."""

import datetime as dt

import pytest
from django.urls import reverse

from safety_summits.choices import MeetingState as M
from safety_summits.models import SchoolPartnershipMeeting
from tests.safety_summits.factories import MONDAY, held, planned, prepared, recorded, scheduled

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _when(day, **changes):
    return {
        "starts_on_day": day.day,
        "starts_on_month": day.month,
        "starts_on_year": day.year,
        "start_time": "14:00",
        "end_time": "15:30",
        "format": "online",
        "place": "https://meet.example/xyz",
        **changes,
    }


def test_the_lead_schedules_it_with_the_govuk_date_input(client):
    meeting = planned()
    client.force_login(meeting.people["practitioner"])
    url = reverse("partnership_meeting_schedule", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and 'name="starts_on_day"' in page

    day = dt.date(2026, 11, 26)
    refused = client.post(url, {**_when(day, start_time="2pm"), "version": meeting.version})
    page = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in page
    assert 'href="#id_start_time"' in page and "like 09:30" in page
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.PLANNED

    past = client.post(url, {**_when(dt.date(2026, 11, 20)), "version": meeting.version})
    assert 'href="#id_starts_on"' in past.content.decode()

    done = client.post(url, {**_when(day), "version": meeting.version})
    assert done.status_code == 302
    current = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    assert current.state == M.SCHEDULED and current.format == "online"
    assert current.starts_at.hour == 14 and current.starts_at.date() == day


def test_the_dsl_writes_the_pre_meeting_document_and_a_childs_name_is_refused(client):
    meeting = scheduled()
    client.force_login(meeting.people["dsl"])
    url = reverse("partnership_meeting_pre_meeting", args=[meeting.pk])
    data = {
        "version": meeting.version,
        "pre_trends": "Gifts",
        "pre_peer_groups": "AB, CD\nJordan",
        "pre_places": "The park",
        "pre_tried": "Parents told",
        "pre_strengths": "Trusted adults",
        "complete": "yes",
    }
    page = client.post(url, data).content.decode()
    assert "never by a child" in page and 'href="#id_pre_peer_groups"' in page
    assert not SchoolPartnershipMeeting.objects.get(pk=meeting.pk).pre_peer_groups

    assert client.post(url, {**data, "pre_peer_groups": "AB, CD"}).status_code == 302
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).has_pre_meeting_document


def test_the_lead_records_the_meeting_and_marks_it_held(client, time_machine):
    meeting = prepared(scheduled())
    client.force_login(meeting.people["practitioner"])
    url = reverse("partnership_meeting_record", args=[meeting.pk])
    due = dt.date(2026, 12, 18)
    added = client.post(
        url,
        {
            "add": "action",
            "version": meeting.version,
            "what": "Patrols at 4pm",
            "why": "Adults waiting in cars",
            "owner": "",
            "owner_contact": "PC Shah, police",
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        },
    )
    assert added.status_code == 302
    current = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    assert current.actions.get().owner_contact == "PC Shah, police"
    current = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    refused = client.post(
        url,
        {
            "add": "discussion",
            "version": current.version,
            "about": "peer_group",
            "name": "Jordan Smith",
            "concerns": "x",
        },
    )
    assert "identifiers or initials only" in refused.content.decode()
    client.post(
        url,
        {
            "add": "discussion",
            "version": current.version,
            "about": "peer_group",
            "name": "JS, KL",
            "concerns": "Seen with older males",
        },
    )
    time_machine.move_to(meeting.ends_at + dt.timedelta(hours=1), tick=False)
    client.force_login(meeting.people["practitioner"])  # a new day, a new session
    current = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    hold = reverse("partnership_meeting_hold", args=[meeting.pk])
    response = client.post(hold, {"version": current.version})
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'href="#id_attendees_0"' in page and 'href="#id_terms_agreed"' in page
    done = client.post(
        hold,
        {
            "version": current.version,
            "attendees": [meeting.people["practitioner"].pk, meeting.people["dsl"].pk],
            "terms_agreed": "on",
            "terms_version": "2.1",
            "terms_agreed_on_day": meeting.starts_at.day,
            "terms_agreed_on_month": meeting.starts_at.month,
            "terms_agreed_on_year": meeting.starts_at.year,
            "terms_agreed_by": "Everyone who attended",
            "notes": "Meet again in six weeks.",
        },
    )
    assert done.status_code == 302
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.HELD


def test_the_safety_plan_prints_and_downloads_once_held(client, time_machine):
    meeting = scheduled()
    client.force_login(meeting.people["dsl"])
    assert client.get(reverse("partnership_meeting_plan", args=[meeting.pk])).status_code == 404
    meeting = held(recorded(prepared(meeting)), time_machine)
    client.force_login(meeting.people["dsl"])  # a new day, a new session
    page = client.get(reverse("partnership_meeting_plan", args=[meeting.pk])).content.decode()
    assert "Patrols at the park at 4pm" in page and "PC Shah" in page
    pdf = client.get(reverse("partnership_meeting_plan_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_sending_the_plan_from_its_page(client, time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    client.force_login(meeting.people["practitioner"])
    detail = client.get(reverse("partnership_meeting_detail", args=[meeting.pk])).content.decode()
    assert "Send the safety plan" in detail
    url = reverse("partnership_meeting_distribute", args=[meeting.pk])
    stale = client.post(url, {"version": meeting.version - 1})
    assert stale.status_code == 409
    assert client.post(url, {"version": meeting.version}).status_code == 302
    assert SchoolPartnershipMeeting.objects.get(pk=meeting.pk).state == M.PLAN_DISTRIBUTED


def test_the_case_page_shows_the_meetings_card(client):
    meeting = planned()
    client.force_login(meeting.people["dsl"])
    page = client.get(reverse("referral_detail", args=[meeting.referral_id])).content.decode()
    assert "School Partnership Meeting" in page
    assert reverse("partnership_meeting_detail", args=[meeting.pk]) in page


def test_a_scheduled_meeting_has_a_calendar_invitation(client):
    meeting = planned()
    client.force_login(meeting.people["dsl"])
    url = reverse("partnership_meeting_ics", args=[meeting.pk])
    assert client.get(url).status_code == 404  # not scheduled yet
    meeting = scheduled(meeting)
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Library meeting room" in body
    assert f"SEQUENCE:{meeting.version}" in body


def test_the_meetings_list_is_paginated_with_constant_queries(
    client, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework import lists
    from referrals.models import SchoolReferral
    from safety_summits import services
    from safety_summits.models import SchoolPartnershipMeeting

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    first = planned()
    people = first.people
    referral = SchoolReferral.objects.get(pk=first.referral_id)
    meeting = first
    for _ in range(2):  # three meetings of one case: two cancelled, one open
        services.meeting_cancel(meeting=meeting, by=people["practitioner"], reason="Moved on")
        meeting = services.meeting_open(
            referral=referral, lead=people["practitioner"], by=people["panel_member"], reason="x"
        )
    assert SchoolPartnershipMeeting.objects.filter(referral=referral).count() == 3
    client.force_login(people["practitioner"])
    with CaptureQueriesContext(connection) as one_page:
        page_one = client.get("/partnership-meetings/?show=all").content.decode()
    assert page_one.count("School Partnership Meeting</span></a>") == 2
    assert "Page 1 of 2" in page_one
    with django_assert_max_num_queries(len(one_page)):
        page_two = client.get("/partnership-meetings/?show=all&page=2").content.decode()
    assert page_two.count("School Partnership Meeting</span></a>") == 1
