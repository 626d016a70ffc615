"""The meeting's arrangements: its agenda (written when it is scheduled or rescheduled, or on
its own page, before it is held) and the terms of reference and information-sharing
agreement the attendees work under (which version, agreed when and by whom), recorded when
it is marked held; both on the meeting's page and in its safety plan."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.errors import Incomplete, NotAllowed
from notifications.models import Notification
from safety_summits import services
from safety_summits.choices import MeetingState as M
from safety_summits.models import SchoolPartnershipMeeting
from tests.safety_summits.factories import (
    MONDAY,
    held,
    planned,
    prepared,
    recorded,
    scheduled,
    when,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]

AGENDA = "1. Introductions and the terms\n2. The pre-meeting document\n3. Actions"


def _fresh(meeting):
    """The meeting as stored now, with the factory's people kept."""
    current = SchoolPartnershipMeeting.objects.get(pk=meeting.pk)
    current.people = getattr(meeting, "people", None)
    return current


# --- the agenda --------------------------------------------------------------------------


def test_the_agenda_is_written_when_scheduling_and_kept_or_changed_when_rescheduling():
    meeting = planned()
    lead, dsl = meeting.people["practitioner"], meeting.people["dsl"]
    meeting = services.meeting_schedule(
        meeting=meeting, by=lead, format="online", place="Link", agenda=f"  {AGENDA} ", **when()
    )
    assert meeting.agenda == AGENDA
    invitation = Notification.objects.get(user=dsl, title__contains="26 Nov")
    assert "agenda is on the meeting's page" in invitation.body

    kept = services.meeting_reschedule(
        meeting=meeting, by=lead, format="online", place="Link", reason="Clash", **when(4)
    )
    assert kept.agenda == AGENDA
    changed = services.meeting_reschedule(
        meeting=kept,
        by=lead,
        format="online",
        place="Link",
        reason="Clash again",
        agenda="1. Actions only",
        **when(5),
    )
    assert changed.agenda == "1. Actions only"


def test_the_agenda_on_its_own_before_the_meeting_is_held(time_machine):
    meeting = planned()
    lead, dsl = meeting.people["practitioner"], meeting.people["dsl"]
    with pytest.raises(NotAllowed):
        services.agenda_save(meeting=meeting, by=dsl, agenda=AGENDA)

    drafted = services.agenda_save(meeting=meeting, by=lead, agenda=AGENDA)
    assert drafted.agenda == AGENDA and drafted.version == meeting.version + 1
    assert not Notification.objects.filter(title__contains="agenda").exists()  # no date yet
    assert drafted.history.first().history_change_reason == "agenda changed"

    meeting = scheduled(_fresh(meeting))
    services.agenda_save(meeting=meeting, by=lead, agenda="1. Only actions")
    told = Notification.objects.get(user=dsl, title__contains="agenda")
    assert told.url == meeting.get_absolute_url()

    with pytest.raises(Incomplete) as refused:
        services.agenda_save(meeting=_fresh(meeting), by=lead, agenda="<script>x</script>")
    assert "agenda" in refused.value.problems
    assert _fresh(meeting).agenda == "1. Only actions"

    meeting = held(recorded(prepared(_fresh(meeting))), time_machine)
    with pytest.raises(NotAllowed, match="cannot have its agenda changed"):
        services.agenda_save(meeting=meeting, by=lead, agenda="Too late")


def test_the_agenda_page_and_the_meetings_page(client):
    meeting = scheduled()
    lead = meeting.people["practitioner"]
    client.force_login(lead)
    detail = reverse("partnership_meeting_detail", args=[meeting.pk])
    url = reverse("partnership_meeting_agenda", args=[meeting.pk])
    page = client.get(detail).content.decode()
    assert "Not written yet" in page and url in page and "Write the agenda" in page

    refused = client.post(url, {"version": meeting.version, "agenda": "<b>bold</b>"})
    page = refused.content.decode()
    assert refused.status_code == 200 and 'href="#id_agenda"' in page
    assert 'id="id_agenda-error"' in page

    stale = client.post(url, {"version": meeting.version - 1, "agenda": AGENDA})
    assert "changed while you were working on it" in stale.content.decode()

    assert client.post(url, {"version": meeting.version, "agenda": AGENDA}).status_code == 302
    page = client.get(detail).content.decode()
    assert "2. The pre-meeting document" in page and "Change the agenda" in page

    client.force_login(meeting.people["dsl"])  # reads it, cannot change it
    page = client.get(detail).content.decode()
    assert "2. The pre-meeting document" in page and url not in page
    assert client.get(url).status_code == 403


def test_the_schedule_form_has_the_agenda(client):
    meeting = planned()
    client.force_login(meeting.people["practitioner"])
    url = reverse("partnership_meeting_schedule", args=[meeting.pk])
    assert 'name="agenda"' in client.get(url).content.decode()
    day = dt.date(2026, 11, 26)
    done = client.post(
        url,
        {
            "version": meeting.version,
            "starts_on_day": day.day,
            "starts_on_month": day.month,
            "starts_on_year": day.year,
            "start_time": "14:00",
            "end_time": "15:00",
            "format": "at_school",
            "place": "Library",
            "agenda": AGENDA,
        },
    )
    assert done.status_code == 302
    assert _fresh(meeting).agenda == AGENDA
    reschedule = reverse("partnership_meeting_reschedule", args=[meeting.pk])
    assert "2. The pre-meeting document" in client.get(reschedule).content.decode()


# --- the terms of reference and information-sharing agreement ----------------------------


def test_holding_needs_which_terms_agreed_when_and_by_whom(time_machine):
    meeting = recorded(prepared(scheduled()))
    with pytest.raises(Incomplete) as refused:
        held(meeting, time_machine, terms_version=" ", terms_agreed_on=None, terms_agreed_by="")
    assert {"terms_version", "terms_agreed_on", "terms_agreed_by"} <= set(refused.value.problems)
    assert _fresh(meeting).state == M.SCHEDULED

    tomorrow = dt.date(2026, 11, 27)  # the clock is moved to the day of the meeting
    with pytest.raises(Incomplete) as refused:
        held(meeting, time_machine, terms_agreed_on=tomorrow)
    assert refused.value.problems == {
        "terms_agreed_on": ["The date the terms were agreed must be today or in the past"]
    }

    done = held(
        meeting,
        time_machine,
        terms_version=" ToR 3 and ISA 2024 ",
        terms_agreed_on=dt.date(2026, 9, 1),
        terms_agreed_by="The Safer Schools Partnership board",
    )
    assert done.state == M.HELD and done.terms_agreed
    assert done.terms_version == "ToR 3 and ISA 2024"
    assert done.terms_agreed_on == dt.date(2026, 9, 1)
    assert done.terms_agreed_by == "The Safer Schools Partnership board"


def test_the_hold_page_shows_the_terms_problems_at_their_fields(client, time_machine):
    meeting = recorded(prepared(scheduled()))
    time_machine.move_to(meeting.ends_at + dt.timedelta(minutes=30), tick=False)
    lead, dsl = meeting.people["practitioner"], meeting.people["dsl"]
    client.force_login(lead)
    url = reverse("partnership_meeting_hold", args=[meeting.pk])
    posted = {
        "version": meeting.version,
        "attendees": [lead.pk, dsl.pk],
        "terms_agreed": "on",
        "terms_agreed_on_day": "31",
        "terms_agreed_on_month": "2",
        "terms_agreed_on_year": "2026",
    }
    page = client.post(url, posted).content.decode()
    assert 'href="#id_terms_agreed_on"' in page and "must be a real date" in page

    page = client.post(url, {**posted, "terms_agreed_on_day": "3"}).content.decode()
    for field in ("terms_version", "terms_agreed_by"):
        assert f'href="#id_{field}"' in page
        assert f'id="id_{field}-error"' in page
    assert "Enter who agreed the terms" in page
    assert _fresh(meeting).state == M.SCHEDULED

    done = client.post(
        url,
        {
            **posted,
            "terms_agreed_on_day": "3",
            "terms_agreed_on_month": "3",
            "terms_version": "Version 2.1",
            "terms_agreed_by": "Lee (Children's Social Care)\nDana (the school)",
        },
    )
    assert done.status_code == 302
    assert _fresh(meeting).terms_agreed_on == dt.date(2026, 3, 3)


def test_the_meetings_page_and_safety_plan_show_the_arrangements(client, time_machine, monkeypatch):
    meeting = scheduled()
    services.agenda_save(meeting=meeting, by=meeting.people["practitioner"], agenda=AGENDA)
    meeting = held(
        recorded(prepared(_fresh(meeting))),
        time_machine,
        terms_version="Version 2.1, March 2026",
        terms_agreed_on=dt.date(2026, 3, 3),
        terms_agreed_by="The Safer Schools Partnership board",
    )
    client.force_login(meeting.people["dsl"])
    pages = [
        client.get(reverse(name, args=[meeting.pk])).content.decode()
        for name in ("partnership_meeting_detail", "partnership_meeting_plan")
    ]

    from safety_summits import documents

    bodies = []
    real = documents.render_pdf

    def capture(request, *, body, title, filename):
        bodies.append(body)
        return real(request, body=body, title=title, filename=filename)

    monkeypatch.setattr(documents, "render_pdf", capture)
    pdf = client.get(reverse("partnership_meeting_plan_pdf", args=[meeting.pk]))
    assert pdf.content.startswith(b"%PDF")
    for page in [*pages, *bodies]:
        assert "3. Actions" in page
        assert "Version 2.1, March 2026" in page and "Agreed on 3 March 2026" in page
        assert "The Safer Schools Partnership board" in page


def test_a_meeting_held_before_the_terms_were_recorded_says_so(client, time_machine):
    meeting = held(recorded(prepared(scheduled())), time_machine)
    SchoolPartnershipMeeting.objects.filter(pk=meeting.pk).update(
        terms_version="", terms_agreed_on=None, terms_agreed_by=""
    )
    client.force_login(meeting.people["dsl"])
    page = client.get(reverse("partnership_meeting_plan", args=[meeting.pk])).content.decode()
    assert "the version, when and by whom were not recorded" in page


def test_the_hold_service_refuses_a_version_too_long(time_machine):
    meeting = recorded(prepared(scheduled()))
    with pytest.raises(Incomplete) as refused:
        held(meeting, time_machine, terms_version="v" * 101)
    assert "terms_version" in refused.value.problems
