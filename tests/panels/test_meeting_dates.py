"""Meetings that never contradict their own records: scheduled in the future only, opened on
their day only, moved or cancelled with a reason that every invitee is told once."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from casework.errors import Incomplete, NotAllowed
from notifications.models import Notification
from panels import services
from panels.models import AgendaChange, ConflictOfInterest, MeetingChange, PanelMeeting
from panels.selectors import agenda, meetings_for
from referrals.models import TransitionRecord
from tests.accounts.factories import ContextPanelFactory, panel_member_of
from tests.panels.factories import awaiting_panel, decision_args
from tests.panels.test_meetings import add_to_panel

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
FRIDAY = dt.datetime(2026, 11, 27, 14, 0, tzinfo=LONDON)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def schedule(referral, start=FRIDAY, hours=2, place="Room 4, Civic Centre"):
    people = referral.people
    return services.meeting_schedule(
        panel=people["panel"],
        by=people["panel_chair"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        place=place,
    )


def messages_about(meeting):
    return Counter(
        Notification.objects.filter(stage="meeting", url=meeting.get_absolute_url()).values_list(
            "user_id", flat=True
        )
    )


def form(day, start="14:00", end="16:00", place="Room 4"):
    return {
        "starts_on_day": str(day.day),
        "starts_on_month": str(day.month),
        "starts_on_year": str(day.year),
        "start_time": start,
        "end_time": end,
        "place": place,
    }


# --- scheduling ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "field", "message"),
    [
        (MONDAY - dt.timedelta(days=3), "starts_on", "must be today or in the future"),
        (MONDAY - dt.timedelta(hours=1), "start_time", "later than now (10:00)"),
        (dt.datetime(9999, 1, 4, 10, 0, tzinfo=LONDON), "starts_on", "before 2101"),
    ],
)
def test_a_meeting_in_the_past_is_refused_at_its_field_and_nobody_is_told(start, field, message):
    referral = awaiting_panel()
    with pytest.raises(Incomplete) as refused:
        schedule(referral, start=start)
    assert message in " ".join(refused.value.problems[field])
    assert not PanelMeeting.objects.exists()
    assert not Notification.objects.filter(stage="meeting").exists()


def test_the_schedule_page_uses_the_date_input_and_shows_the_problem_at_the_field(client):
    referral = awaiting_panel()
    panel = referral.people["panel"]
    client.force_login(referral.people["panel_chair"])
    url = f"/panels/{panel.pk}/meetings/new/"
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and 'name="starts_on_day"' in page

    page = client.post(url, form(MONDAY - dt.timedelta(days=1))).content.decode()
    assert "There is a problem" in page
    assert 'id="id_starts_on-error"' in page and "must be today or in the future" in page
    page = client.post(url, form(MONDAY, start="15:00", end="14:00")).content.decode()
    assert "The end time must be after the start time" in page
    page = client.post(url, {**form(MONDAY), "starts_on_month": "13"}).content.decode()
    assert "must be a real date" in page
    assert client.post(url, form(dt.date(9999, 12, 31))).status_code == 200
    assert not PanelMeeting.objects.exists()

    response = client.post(url, form(FRIDAY.date()))
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302 and meeting.starts_at == FRIDAY


# --- opening on its day -------------------------------------------------------------------


def test_a_meeting_opens_on_its_day_only(client, time_machine):
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = schedule(referral)
    with pytest.raises(NotAllowed, match="Friday 27 November 2026: it can be opened on that day"):
        services.meeting_open(meeting=meeting, by=chair, attendees=[chair], apologies=[])
    client.force_login(chair)
    response = client.get(f"/meetings/{meeting.pk}/open/", follow=True)
    assert "it can be opened on that day, not before" in response.content.decode()
    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    assert PanelMeeting.objects.get(pk=meeting.pk).state == "scheduled"

    # On its day (in London, before the meeting starts) it opens, and what it decides is
    # dated that day, the day the letters and minutes name.
    time_machine.move_to(dt.datetime(2026, 11, 27, 8, 30, tzinfo=LONDON))
    meeting = services.meeting_open(
        meeting=meeting, by=chair, attendees=[chair, referral.people["panel_member"]], apologies=[]
    )
    decision = services.decision_record(
        referral=referral, by=chair, meeting=meeting, **decision_args(referral)
    )
    assert decision.decided_at.astimezone(LONDON).date() == meeting.local_day()


def test_a_meeting_not_opened_on_its_day_must_be_rescheduled(time_machine):
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = schedule(referral)
    time_machine.move_to(dt.datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    with pytest.raises(NotAllowed, match="was not opened that day"):
        services.meeting_open(meeting=meeting, by=chair, attendees=[chair], apologies=[])


def test_its_day_is_the_day_in_london_not_in_utc(time_machine):
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC.
    time_machine.move_to(dt.datetime(2027, 6, 30, 20, 0, tzinfo=LONDON))
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = schedule(referral, start=dt.datetime(2027, 7, 1, 0, 30, tzinfo=LONDON), hours=1)
    time_machine.move_to(dt.datetime(2027, 7, 1, 0, 5, tzinfo=LONDON))
    opened = services.meeting_open(meeting=meeting, by=chair, attendees=[chair], apologies=[])
    assert opened.state == "in_session"


# --- rescheduling and cancelling ----------------------------------------------------------


def test_rescheduling_moves_the_meeting_records_why_and_tells_each_invitee_once(client):
    referral = awaiting_panel()
    people = referral.people
    chair, member = people["panel_chair"], people["panel_member"]
    meeting = schedule(referral)
    later = FRIDAY + dt.timedelta(days=4)
    moved = services.meeting_reschedule(
        meeting=meeting,
        by=chair,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
        place="Room 9",
        reason="The civic centre is closed for repairs.",
    )
    assert (moved.starts_at, moved.place, moved.state) == (later, "Room 9", "scheduled")
    change = MeetingChange.objects.get(meeting=meeting)
    assert (change.kind, change.was_starts_at, change.was_place, change.by) == (
        "rescheduled",
        FRIDAY,
        "Room 4, Civic Centre",
        chair,
    )
    record = TransitionRecord.objects.get(object_id=meeting.pk, transition="reschedule")
    assert record.by == chair and "closed for repairs" in record.reason
    moved_messages = Notification.objects.filter(stage="meeting", title__contains="has moved")
    assert Counter(moved_messages.values_list("user_id", flat=True)) == {chair.pk: 1, member.pk: 1}
    assert "closed for repairs" in moved_messages.first().body

    client.force_login(member)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Rescheduled" in page and "closed for repairs" in page


def test_a_reschedule_needs_a_reason_and_a_future_date_and_changes_nothing_without():
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = schedule(referral)
    with pytest.raises(Incomplete) as refused:
        services.meeting_reschedule(
            meeting=meeting,
            by=chair,
            starts_at=MONDAY - dt.timedelta(days=1),
            ends_at=MONDAY - dt.timedelta(days=1, hours=-1),
            place="Room 9",
            reason=" ",
        )
    assert set(refused.value.problems) == {"reason", "starts_on"}
    with pytest.raises(NotAllowed):
        services.meeting_reschedule(
            meeting=meeting,
            by=referral.people["panel_member"],
            starts_at=FRIDAY + dt.timedelta(days=1),
            ends_at=FRIDAY + dt.timedelta(days=1, hours=1),
            place="Room 9",
            reason="Clash.",
        )
    current = PanelMeeting.objects.get(pk=meeting.pk)
    assert (current.starts_at, current.version) == (FRIDAY, meeting.version)
    assert not MeetingChange.objects.exists()
    assert sum(messages_about(meeting).values()) == 2  # the first invitation only


def test_the_reschedule_page_refuses_bad_input_at_the_field(client):
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = schedule(referral)
    client.force_login(chair)
    url = f"/meetings/{meeting.pk}/reschedule/"
    page = client.get(url).content.decode()
    assert 'value="27"' in page and 'value="Room 4, Civic Centre"' in page
    data = {**form(MONDAY - dt.timedelta(days=2)), "version": meeting.version, "reason": ""}
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page and "Enter why the meeting is moving" in page
    data = {**form(MONDAY - dt.timedelta(days=2)), "version": meeting.version, "reason": "x"}
    assert "must be today or in the future" in client.post(url, data).content.decode()
    new_day = (FRIDAY + dt.timedelta(days=7)).date()
    data = {**form(new_day), "version": meeting.version, "reason": "Chair unwell."}
    assert client.post(url, data).status_code == 302
    assert PanelMeeting.objects.get(pk=meeting.pk).local_day() == new_day


def test_cancelling_tells_each_invitee_once_and_the_agenda_carries_over():
    first = awaiting_panel()
    people = first.people
    chair, member = people["panel_chair"], people["panel_member"]
    panel = people["panel"]
    second = add_to_panel(panel)
    meeting = schedule(first)
    following = schedule(first, start=FRIDAY + dt.timedelta(days=14))
    services.agenda_change(
        meeting=meeting, referral=second, by=chair, kind="urgent", reason="New incident."
    )
    with pytest.raises(Incomplete):
        services.meeting_cancel(meeting=meeting, by=chair, reason="")
    cancelled = services.meeting_cancel(meeting=meeting, by=chair, reason="Not quorate.")
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "Not quorate.")
    record = TransitionRecord.objects.get(object_id=meeting.pk, transition="cancel")
    assert (record.by, record.reason, record.to_state) == (chair, "Not quorate.", "cancelled")
    told = Notification.objects.filter(stage="meeting", title__contains="is cancelled")
    assert Counter(told.values_list("user_id", flat=True)) == {chair.pk: 1, member.pk: 1}
    assert "Not quorate." in told.first().body and "next meeting" in told.first().body

    # Its agenda goes to the next meeting, the urgent item still first.
    items, _ = agenda(following, chair)
    assert [i.referral for i in items] == [second, first]
    carried = AgendaChange.objects.get(meeting=following, referral=second)
    assert "cancelled meeting" in carried.reason and "New incident." in carried.reason
    with pytest.raises(NotAllowed):  # nor opened, moved or cancelled again
        services.meeting_cancel(meeting=cancelled, by=chair, reason="Again.")


def test_a_cancelled_or_approved_meeting_is_never_upcoming(time_machine):
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    cancelled = schedule(referral, start=FRIDAY + dt.timedelta(days=7))
    services.meeting_cancel(meeting=cancelled, by=chair, reason="Not quorate.")
    held = schedule(referral, start=MONDAY + dt.timedelta(hours=1), hours=6)
    ahead = schedule(referral)
    time_machine.move_to(MONDAY + dt.timedelta(hours=1, minutes=5))
    held = services.meeting_open(meeting=held, by=chair, attendees=[chair], apologies=[])
    held = services.meeting_draft_minutes(meeting=held, by=chair, actions="")
    held = services.meeting_approve_minutes(meeting=held, by=chair)
    # Approved an hour into a six-hour slot: it has ended, whatever its times say.
    upcoming, past = meetings_for(chair, 1)
    assert upcoming == [ahead]
    assert set(past.object_list) == {held, cancelled}


# --- the panel's page ---------------------------------------------------------------------


def test_the_panel_s_page_lists_every_referral_waiting_for_it(client, monkeypatch):
    from casework import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    first = awaiting_panel()
    panel = first.people["panel"]
    others = [add_to_panel(panel) for _ in range(2)]
    elsewhere = add_to_panel(ContextPanelFactory(authority=panel.authority))
    client.force_login(first.people["panel_member"])
    url = f"/panels/{panel.pk}/"
    page = client.get(url).content.decode()
    assert "No meeting is scheduled" in page
    assert first.reference in page and others[0].reference in page
    assert others[1].reference not in page and elsewhere.reference not in page
    page_two = client.get(url + "?page=2").content.decode()
    assert others[1].reference in page_two and first.reference not in page_two
    assert "None scheduled" in page_two

    meeting = schedule(first)
    page = client.get(url).content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in page and "27 Nov 2026" in page
    assert client.get(url + "?page=abc").status_code == 200

    client.force_login(panel_member_of(ContextPanelFactory(authority=panel.authority)))
    assert client.get(url).status_code == 403


# --- the conflicted member ----------------------------------------------------------------


def test_the_conflicted_member_is_refused_before_the_decision_form(client):
    from tests.panels.factories import meeting_for

    referral = awaiting_panel()
    member = referral.people["panel_member"]
    meeting = meeting_for(referral)
    ConflictOfInterest.objects.create(user=member, school=referral.school, reason="Governor")
    client.force_login(member)
    response = client.get(f"/meetings/{meeting.pk}/decide/{referral.pk}/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    assert "You declared a conflict of interest for this school" in page
    assert 'name="rationale"' not in page
    response = client.post(f"/meetings/{meeting.pk}/decide/{referral.pk}/", {"rationale": "x"})
    assert response.status_code == 302 and not referral.decisions.exists()
