"""The summit through its pages, as each person: GOV.UK forms with the date input and error
summaries linking to each field; a refusal changes nothing and never answers 500; a DSL of
one school reads only their own school's part of a multi-school summit; the report prints
and downloads; the list is paginated with constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from notifications.models import Notification
from referrals.models import SchoolReferral
from safety_summits.summit import services
from safety_summits.summit.choices import SummitState as S
from safety_summits.summit.models import SafetySummit
from tests.accounts.factories import SchoolFactory
from tests.safety_summits.summit_factories import (
    MONDAY,
    held_summit,
    planned_summit,
    recorded_summit,
    scheduled_summit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _url(name, summit, *args):
    return reverse(name, args=[summit.pk, *args])


def _when(day, host, **changes):
    return {
        "starts_on_day": day.day,
        "starts_on_month": day.month,
        "starts_on_year": day.year,
        "start_time": "09:00",
        "end_time": "12:30",
        "host_school": host.pk,
        "place": "The sports hall",
        **changes,
    }


def test_the_lead_schedules_it_with_the_govuk_date_input(client):
    summit = planned_summit()
    client.force_login(summit.people["practitioner"])
    url = _url("safety_summit_schedule", summit)
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and 'name="starts_on_day"' in page
    day = dt.date(2026, 12, 3)
    host = summit.people["other_school"]
    refused = client.post(url, {**_when(day, host, start_time="9am"), "version": summit.version})
    assert 'href="#id_start_time"' in refused.content.decode()
    stranger = client.post(url, {**_when(day, SchoolFactory()), "version": summit.version})
    assert 'href="#id_host_school"' in stranger.content.decode()
    assert SafetySummit.objects.get(pk=summit.pk).state == S.PLANNED
    assert client.post(url, {**_when(day, host), "version": summit.version}).status_code == 302
    current = SafetySummit.objects.get(pk=summit.pk)
    assert current.state == S.SCHEDULED and current.host_school == host
    assert current.starts_at.date() == day and current.starts_at.hour == 9


def test_a_stale_page_is_told_and_changes_nothing(client):
    summit = planned_summit()
    client.force_login(summit.people["practitioner"])
    stale = summit.version - 1
    page = client.post(
        _url("safety_summit_plan", summit),
        {"version": stale, "activities": ["online"], "young_people_invited": "", "inclusion": ""},
    ).content.decode()
    assert "There is a problem" in page
    assert SafetySummit.objects.get(pk=summit.pk).activities == []


def test_planning_and_inviting_through_the_pages(client):
    summit = planned_summit()
    client.force_login(summit.people["practitioner"])
    done = client.post(
        _url("safety_summit_plan", summit),
        {
            "version": summit.version,
            "activities": ["school_map", "online"],
            "young_people_invited": "Ten from each school's Year 9",
            "inclusion": "A quiet room; easy-read cards",
        },
    )
    assert done.status_code == 302
    summit.refresh_from_db()
    assert summit.activities == ["school_map", "online"]
    SchoolFactory(authority=summit.referral.school.authority, name="Hillside Academy")
    SchoolFactory(authority=summit.referral.school.authority, name="Hillside Primary")
    url = _url("safety_summit_schools", summit)
    several = client.post(url, {"version": summit.version, "query": "Hillside"}).content.decode()
    assert "Which school or college?" in several and "Hillside Primary" in several
    nothing = client.post(url, {"version": summit.version, "query": "Nowhere"}).content.decode()
    assert 'href="#id_query"' in nothing and "No school or college" in nothing
    unpicked = client.post(url, {"version": summit.version, "query": "Hillside"}).content.decode()
    assert "There is a problem" not in unpicked  # a first search shows the choices only
    unchosen = client.post(url, {"version": summit.version, "query": "Hillside", "picking": "yes"})
    assert 'href="#id_school_0"' in unchosen.content.decode()
    one = client.post(url, {"version": summit.version, "query": "Hillside Academy"})
    assert one.status_code == 302
    assert summit.schools.filter(name="Hillside Academy").exists()
    primary = summit.schools.model.objects.get(name="Hillside Primary")
    version = SafetySummit.objects.get(pk=summit.pk).version
    picked = client.post(url, {"version": version, "query": "Hillside", "school": primary.pk})
    assert picked.status_code == 302
    assert summit.schools.filter(pk=primary.pk).exists()
    invite = client.post(
        _url("safety_summit_invitees", summit),
        {"version": SafetySummit.objects.get(pk=summit.pk).version, "agency": "youth_work"},
    ).content.decode()
    assert 'href="#id_user"' in invite


def test_the_day_is_recorded_in_numbers_and_a_name_is_not_a_number(client):
    summit = scheduled_summit()
    client.force_login(summit.people["practitioner"])
    url = _url("safety_summit_record", summit)
    school = summit.referral.school
    data = {
        "add": "turnout",
        "turnout-version": summit.version,
        "turnout-school": school.pk,
        "turnout-year_y9": "Jordan",
    }
    page = client.post(url, data).content.decode()
    assert "Year 9: enter a whole number" in page and 'href="#id_turnout-year_y9"' in page
    assert not summit.turnouts.exists()
    more = client.post(
        url, {**data, "turnout-year_y9": "10", "turnout-pupils_send": "12"}
    ).content.decode()
    assert 'href="#id_turnout-pupils_send"' in more and "cannot be more" in more
    assert client.post(url, {**data, "turnout-year_y9": "10"}).status_code == 302
    version = SafetySummit.objects.get(pk=summit.pk).version
    place = {
        "add": "place",
        "place-version": version,
        "place-school": school.pk,
        "place-kind": "school_space",
        "place-name": "The top corridor",
        "place-safe_count": "4",
        "place-unsafe_count": "9",
    }
    too_many = client.post(url, place).content.decode()
    assert 'href="#id_place-safe_count"' in too_many
    assert client.post(url, {**place, "place-unsafe_count": "6"}).status_code == 302
    assert summit.places.get().unsafe_count == 6
    # Nonsense in the URL or the form is a 404 or a message, never a 500.
    client.post(url, {"add": "nonsense"})
    assert client.post(_url("safety_summit_remove", summit, "children", 1)).status_code == 404


def _as(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_dsl_reads_only_their_own_schools_part_and_never_the_case(client, time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    people = summit.people
    home, other = escape("The top corridor"), escape("Riverside bus station")
    for name in ("safety_summit_detail", "safety_summit_report"):
        lead = _as(client, people["practitioner"], _url(name, summit)).content.decode()
        assert home in lead and other in lead
        theirs = _as(client, people["other_dsl"], _url(name, summit)).content.decode()
        assert other in theirs and home not in theirs
        assert "Teachers would tell our parents" not in theirs
        assert "Staff on the top corridor" not in theirs
        assert summit.referral.reference not in theirs
        ours = _as(client, people["dsl"], _url(name, summit)).content.decode()
        assert home in ours and other not in ours
    pdf = _as(client, people["other_dsl"], _url("safety_summit_report_pdf", summit))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # The other school's DSL sees the summit, never the case behind it, and runs nothing.
    assert _as(client, people["other_dsl"], summit.referral.get_absolute_url()).status_code == 404
    assert (
        _as(client, people["other_dsl"], _url("safety_summit_response_add", summit)).status_code
        == 403
    )


def test_who_gets_a_404(client):
    summit = scheduled_summit()
    outsider = SchoolFactory()
    from tests.accounts.factories import dsl_of

    for person in (
        dsl_of(outsider),
        dsl_of(SchoolFactory(authority=summit.referral.school.authority)),
    ):
        assert _as(client, person, _url("safety_summit_detail", summit)).status_code == 404


def test_the_case_page_shows_the_summit_card(client):
    summit = planned_summit()
    page = _as(client, summit.people["practitioner"], summit.referral.get_absolute_url())
    assert "Go to the Student Safety Summit" in page.content.decode()


def test_a_scheduled_summit_has_a_calendar_invitation(client):
    summit = scheduled_summit()
    response = _as(client, summit.people["other_dsl"], _url("safety_summit_ics", summit))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "The sports hall" in body
    assert f"SEQUENCE:{summit.version}" in body
    assert summit.referral.reference not in body


def test_sharing_and_sending_back_through_the_pages(client, time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    people = summit.people
    client.force_login(people["practitioner"])
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "Share the report" in page and "Send back to the panel" in page
    shared = client.post(_url("safety_summit_share", summit), {"version": summit.version})
    assert shared.status_code == 302
    assert SafetySummit.objects.get(pk=summit.pk).state == S.REPORTED
    again = client.post(_url("safety_summit_share", summit), {"version": "x"})
    assert again.status_code == 409
    url = _url("safety_summit_refer_back", summit)
    version = SafetySummit.objects.get(pk=summit.pk).version
    empty = client.post(url, {"version": version, "reason": ""}).content.decode()
    assert 'href="#id_reason"' in empty
    done = client.post(url, {"version": version, "reason": "Most girls feel unsafe."})
    assert done.status_code == 302
    assert SchoolReferral.objects.get(pk=summit.referral_id).state == "awaiting_panel"
    assert Notification.objects.filter(user=people["panel_chair"]).exists()


def test_you_said_we_did_through_its_page(client, time_machine):
    summit = held_summit(recorded_summit(scheduled_summit()), time_machine)
    client.force_login(summit.people["practitioner"])
    url = _url("safety_summit_response_add", summit)
    today = summit.held_at.date()
    future = today + dt.timedelta(days=2)
    data = {
        "version": summit.version,
        "you_said": "The top corridor feels unsafe",
        "we_did": "Staff at break",
        "told_on_day": future.day,
        "told_on_month": future.month,
        "told_on_year": future.year,
        "how_told": "Assembly",
    }
    page = client.post(url, data).content.decode()
    assert 'href="#id_told_on"' in page
    assert client.post(url, {**data, "told_on_day": today.day}).status_code == 302
    row = summit.responses.get()
    edit = _url("safety_summit_response_edit", summit, row.pk)
    assert "Staff at break" in client.get(edit).content.decode()
    assert client.get(_url("safety_summit_response_edit", summit, row.pk + 999)).status_code == 404


def test_the_summits_list_is_paginated_with_constant_queries(
    client, monkeypatch, django_assert_max_num_queries
):
    from casework import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    first = planned_summit()
    people = first.people
    referral = SchoolReferral.objects.get(pk=first.referral_id)
    summit = first
    for _ in range(3):  # four summits of one case: three cancelled, one open
        services.summit_cancel(summit=summit, by=people["practitioner"], reason="Moved on")
        summit = services.summit_open(
            referral=referral, lead=people["practitioner"], by=people["panel_member"], reason="x"
        )
    client.force_login(people["practitioner"])
    # The default view: the one open summit.
    page = client.get("/safety-summits/").content.decode()
    assert page.count("Student Safety Summit</span></a>") == 1
    assert "1 Student Safety Summit open" in page
    with CaptureQueriesContext(connection) as one_page:
        page_one = client.get("/safety-summits/?show=all").content.decode()
    assert page_one.count("Student Safety Summit</span></a>") == 2
    assert f'href="/safety-summits/{summit.pk}/"' in page_one  # the open one first
    with django_assert_max_num_queries(len(one_page)):
        page_two = client.get("/safety-summits/?show=all&page=2").content.decode()
    assert page_two.count("Student Safety Summit</span></a>") == 2
    ended = client.get("/safety-summits/?show=ended").content.decode()
    assert "3 Student Safety Summits ended" in ended
    assert f"/safety-summits/{summit.pk}/" not in ended
    # A view it does not know: the message at the field, and the open ones.
    bad = client.get("/safety-summits/?show=nonsense").content.decode()
    assert "Choose open, ended or all" in bad and 'href="#id_show' in bad
    assert bad.count("Student Safety Summit</span></a>") == 1
    assert client.get("/safety-summits/?page=nonsense").status_code == 200


def test_a_summit_held_without_its_record_links_to_each_missing_part(client, time_machine):
    summit = scheduled_summit()
    time_machine.move_to(summit.ends_at + dt.timedelta(hours=1), tick=False)
    client.force_login(summit.people["practitioner"])
    page = client.post(
        _url("safety_summit_hold", summit),
        {"version": summit.version, "other_attendees": "A youth worker"},
    ).content.decode()
    for field in ("turnouts", "places", "actions"):
        assert f'href="#id_{field}"' in page and f'id="id_{field}"' in page
    assert "Record how many young people took part" in page
    assert SafetySummit.objects.get(pk=summit.pk).state == S.SCHEDULED
