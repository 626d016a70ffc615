"""Meetings: the agenda, who sees it, and minutes that are fixed once approved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from panels import services
from panels.models import MinutesVersion, PanelMeeting
from panels.selectors import agenda
from referrals import services as referral_services
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    dsl_of,
    front_door_of,
    panel_member_of,
)
from tests.dates import date_parts
from tests.panels.factories import awaiting_panel, decision_args, meeting_for
from tests.referrals.factories import COMPLETE_ANSWERS, draft

# meeting_for schedules a meeting a minute ahead and opens it on its day: the clock is pinned
# to a weekday morning for every journey (a test with its own moment pins that instead).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(
        dt.datetime(2026, 11, 18, 9, 30, tzinfo=ZoneInfo("Europe/London")), tick=False
    ),
]


def add_to_panel(panel, *, concern_types=None, indicators=None, school=None):
    school = school or SchoolFactory(authority=panel.authority)
    dsl = dsl_of(school)
    referral = draft(school, dsl, complete=False)
    answers = dict(COMPLETE_ANSWERS)
    if concern_types:
        answers["concern_types"] = concern_types
    referral = referral_services.referral_update_draft(
        referral=referral,
        by=dsl,
        data=answers,
        indicators=indicators or [],
        linked_children=[],
    )
    referral = referral_services.referral_submit(referral=referral, by=dsl)
    return referral_services.referral_accept_to_panel(
        referral=referral, by=front_door_of(panel.authority), panel=panel, reason="Threshold."
    )


def test_agenda_holds_exactly_the_referrals_awaiting_that_panel_in_order():
    first = awaiting_panel()
    panel, chair = first.people["panel"], first.people["panel_chair"]
    from referrals.models import ThresholdIndicator

    cp = ThresholdIndicator.objects.filter(authority=panel.authority, level="child_protection")[:1]
    cin = ThresholdIndicator.objects.filter(authority=panel.authority, level="child_in_need")[:1]
    older_cin = add_to_panel(panel, indicators=cin)
    serious = add_to_panel(panel, concern_types=["sexual_violence"])
    cp_referral = add_to_panel(panel, indicators=cp)
    deferred = add_to_panel(panel)
    add_to_panel(ContextPanelFactory(authority=panel.authority))  # another panel's
    meeting = meeting_for(first, open_=False)
    services.agenda_change(
        meeting=meeting,
        referral=deferred,
        by=chair,
        kind="deferred",
        reason="Waiting for the police report.",
    )
    services.agenda_change(
        meeting=meeting,
        referral=first,
        by=chair,
        kind="urgent",
        reason="New incident reported this morning.",
    )

    items, deferrals = agenda(meeting, chair)

    # Urgent first; then highest concern (child protection indicators, or sexual violence
    # reported, outrank child in need), oldest first within a level.
    assert [i.referral for i in items] == [first, serious, cp_referral, older_cin]
    assert [d.referral for d in deferrals] == [deferred]
    # The deferred item comes first (after urgent ones) at the next meeting.
    later = services.meeting_schedule(
        panel=panel,
        by=chair,
        starts_at=meeting.starts_at + dt.timedelta(days=14),
        ends_at=meeting.starts_at + dt.timedelta(days=14, hours=2),
        place="Room 4",
    )
    next_items, _ = agenda(later, chair)
    assert next_items[0].referral == deferred


def test_agenda_queries_do_not_grow_with_items():
    first = awaiting_panel()
    panel = first.people["panel"]
    meeting = meeting_for(first, open_=False)
    add_to_panel(panel)
    member = first.people["panel_member"]
    agenda(meeting, member)  # the member's roles are read once, then kept
    with CaptureQueriesContext(connection) as few:
        agenda(meeting, member)
    for _ in range(8):
        add_to_panel(panel)
    with CaptureQueriesContext(connection) as many:
        items, _ = agenda(meeting, member)
    assert len(items) == 10
    assert len(many) == len(few)


def test_the_agenda_s_school_history_shows_only_what_the_member_may_open(client):
    first = awaiting_panel()
    panel, member = first.people["panel"], first.people["panel_member"]
    school = first.school
    # The same school's earlier referral, redirected by the front door: never this panel's.
    redirected = referral_services.referral_redirect(
        referral=referral_services.referral_submit(
            referral=draft(school, dsl_of(school)), by=dsl_of(school)
        ),
        by=first.people["front_door"],
        reason="About one child: individual referral.",
    )
    # And one this panel decided before: the member may open it.
    earlier = add_to_panel(panel, school=school)
    meeting = meeting_for(first)
    services.decision_record(referral=earlier, by=member, meeting=meeting, **decision_args(first))
    items, _ = agenda(meeting, member)
    (item,) = [i for i in items if i.referral == first]
    assert earlier in item.history and redirected not in item.history
    (shown,) = [h for h in item.history if h == earlier]
    assert shown.current.referral_id == earlier.pk  # its decision in force, beside it
    client.force_login(member)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert earlier.reference in page and redirected.reference not in page


def test_only_the_chair_changes_the_agenda_and_a_reason_is_required():
    referral = awaiting_panel()
    meeting = meeting_for(referral, open_=False)
    with pytest.raises(NotAllowed):
        services.agenda_change(
            meeting=meeting,
            referral=referral,
            by=referral.people["panel_member"],
            kind="deferred",
            reason="x",
        )
    with pytest.raises(Incomplete):
        services.agenda_change(
            meeting=meeting,
            referral=referral,
            by=referral.people["panel_chair"],
            kind="deferred",
            reason=" ",
        )


def test_minutes_cannot_change_after_approval_except_by_a_new_version():
    referral = awaiting_panel()
    chair = referral.people["panel_chair"]
    meeting = meeting_for(referral)
    services.decision_record(
        referral=referral, by=chair, meeting=meeting, **decision_args(referral)
    )
    meeting = services.meeting_draft_minutes(meeting=meeting, by=chair, actions="Share plan.")
    meeting = services.meeting_approve_minutes(meeting=meeting, by=chair)
    first = MinutesVersion.objects.get(meeting=meeting)
    assert first.content["actions"] == "Share plan."
    assert first.content["decisions"][0]["reference"] == referral.reference

    first.content = {"actions": "rewritten"}
    with pytest.raises(ValueError, match="fixed"):
        first.save()
    with pytest.raises(NotAllowed):  # drafting again is not a way round it
        services.meeting_draft_minutes(meeting=meeting, by=chair, actions="Changed.")
    with pytest.raises(Incomplete):
        services.meeting_amend_minutes(meeting=meeting, by=chair, reason="")

    meeting = services.meeting_amend_minutes(
        meeting=meeting, by=chair, reason="Action owner was wrong."
    )
    meeting = services.meeting_draft_minutes(
        meeting=meeting, by=chair, actions="Share plan (DSL, by Friday)."
    )
    services.meeting_approve_minutes(meeting=meeting, by=chair)
    versions = list(MinutesVersion.objects.filter(meeting=meeting).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["actions"] == "Share plan."
    assert versions[1].amendment_reason == "Action owner was wrong."


def test_only_the_chair_runs_the_meeting():
    referral = awaiting_panel()
    meeting = meeting_for(referral, open_=False)
    with pytest.raises(NotAllowed):
        services.meeting_open(
            meeting=meeting, by=referral.people["panel_member"], attendees=[], apologies=[]
        )
    with pytest.raises(NotAllowed):
        services.meeting_schedule(
            panel=referral.people["panel"],
            by=referral.people["panel_member"],
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=1),
            place="Room 1",
        )


def test_decisions_at_a_meeting_need_it_in_session():
    referral = awaiting_panel()
    meeting = meeting_for(referral, open_=False)
    with pytest.raises(NotAllowed, match="in session"):
        services.decision_record(
            referral=referral,
            by=referral.people["panel_chair"],
            meeting=meeting,
            **decision_args(referral),
        )


def test_members_are_sent_the_meeting_and_its_calendar_invitation():
    from notifications.models import Notification

    referral = awaiting_panel()
    meeting_for(referral, open_=False)
    member = referral.people["panel_member"]
    message = Notification.objects.get(user=member, stage="meeting")
    assert message.url == f"/meetings/{PanelMeeting.objects.get().pk}/"


@pytest.mark.parametrize(
    ("who", "meeting_page", "minutes", "decide"),
    [
        ("panel_chair", 200, 200, 200),
        ("panel_member", 200, 200, 200),
        ("other_panel", 404, 404, 404),
        ("dsl", 404, 404, 404),
        ("front_door", 404, 404, 404),
        ("practitioner", 404, 404, 404),
    ],
)
def test_who_sees_meetings_agendas_and_minutes(client, who, meeting_page, minutes, decide):
    referral = awaiting_panel()
    meeting = meeting_for(referral)
    people = referral.people
    people["other_panel"] = panel_member_of(
        ContextPanelFactory(authority=referral.school.authority)
    )
    client.force_login(people[who])
    assert client.get(f"/meetings/{meeting.pk}/").status_code == meeting_page
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == minutes
    assert client.get(f"/meetings/{meeting.pk}/decide/{referral.pk}/").status_code == decide


def test_decision_page_records_the_decision_and_refuses_bad_input(client, early_help_pathway):
    referral = awaiting_panel()
    meeting = meeting_for(referral)
    people = referral.people
    client.force_login(people["panel_member"])
    url = f"/meetings/{meeting.pk}/decide/{referral.pk}/"
    data = {
        "version": referral.version,
        "level": "early_help",
        "pathway": "school_assessment",
        "rationale": "Harassment on the bus.",
        "advice": "",
        "lead_practitioner": people["practitioner"].pk,
        "lead_team": people["team"].pk,
        **date_parts("start_by", timezone.localdate() + dt.timedelta(days=14)),
    }
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page and "does not fit universal / early help" in page
    assert not referral.decisions.exists()
    response = client.post(url, {**data, "pathway": "partnership_meeting"})
    assert response.status_code == 302
    assert referral.decisions.get().pathway == "partnership_meeting"


def test_nobody_both_attends_and_sends_apologies_whoever_calls(client):
    referral = awaiting_panel()
    meeting = meeting_for(referral, open_=False)
    chair, member = referral.people["panel_chair"], referral.people["panel_member"]
    with pytest.raises(Incomplete) as refused:
        services.meeting_open(
            meeting=meeting, by=chair, attendees=[chair, member], apologies=[member]
        )
    assert "both attend and send apologies" in refused.value.problems["apologies"][0]
    assert PanelMeeting.objects.get(pk=meeting.pk).state == "scheduled"
    client.force_login(chair)
    page = client.post(
        f"/meetings/{meeting.pk}/open/",
        {"version": meeting.version, "attendees": [chair.pk, member.pk], "apologies": [member.pk]},
    ).content.decode()
    assert "There is a problem" in page and "both attend and send apologies" in page


def test_record_decision_is_offered_in_session_and_never_to_a_conflicted_member(client):
    from panels.models import ConflictOfInterest

    referral = awaiting_panel()
    member = referral.people["panel_member"]
    scheduled = meeting_for(referral, open_=False)
    items, _ = agenda(scheduled, member)
    assert [i.may_decide for i in items] == [False]  # not in session yet
    in_session = services.meeting_open(
        meeting=scheduled, by=referral.people["panel_chair"], attendees=[member], apologies=[]
    )
    items, _ = agenda(in_session, member)
    assert [i.may_decide for i in items] == [True]
    client.force_login(member)
    link = f'Record decision<span class="govuk-visually-hidden"> for {referral.reference}'
    assert link in client.get(f"/meetings/{in_session.pk}/").content.decode()

    ConflictOfInterest.objects.create(user=member, school=referral.school, reason="Governor")
    items, _ = agenda(in_session, member)
    assert [i.may_decide for i in items] == [False]
    assert link not in client.get(f"/meetings/{in_session.pk}/").content.decode()


@pytest.mark.time_machine(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_past_meetings_are_paged_and_the_upcoming_all_shown(client, monkeypatch, time_machine):
    import re

    from accounts.models import PanelRole
    from casework import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    panel = ContextPanelFactory()
    chair = panel_member_of(panel, role=PanelRole.CHAIR)
    other_chair = panel_member_of(ContextPanelFactory(), role=PanelRole.CHAIR)

    def schedule(by, days):
        start = timezone.now() + dt.timedelta(days=days)
        return services.meeting_schedule(
            panel=by.panel_memberships.get().panel,
            by=by,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="Civic Centre",
        )

    past = [schedule(chair, 1 + n) for n in range(3)]
    schedule(other_chair, 2)
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC))
    upcoming = [schedule(chair, 1 + n) for n in range(3)]
    client.force_login(chair)

    def shown(url):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        return len(captured), [int(pk) for pk in re.findall(r'href="/meetings/(\d+)/"', body)]

    one, first = shown("/panels/")
    assert first == [m.pk for m in upcoming] + [past[2].pk, past[1].pk]
    two, second = shown("/panels/?page=2")
    assert second == [m.pk for m in upcoming] + [past[0].pk] and two <= one
    assert shown("/panels/?page=abc")[1] == first
