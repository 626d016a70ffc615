"""School Partnership Meetings in each state, built through the panel's decision and the
services (never by setting the protected state field). Tests that use these pin the clock
(`@pytest.mark.time_machine(MONDAY, tick=False)`) and move it with time_machine.move_to."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from panels.services import decision_record
from safety_summits import outcomes, services
from safety_summits.models import SchoolPartnershipMeeting
from tests.panels.factories import awaiting_panel, decision_args

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def _keep(meeting, people):
    meeting.people = people
    return meeting


def planned(**changes):
    """A meeting just opened by the panel's decision, everyone of the case in
    `meeting.people` (dsl, front_door, panel, panel_member, panel_chair, team, practitioner
    (the lead), manager)."""
    referral = awaiting_panel()
    people = referral.people
    decision_record(
        referral=referral,
        by=people["panel_member"],
        **decision_args(
            referral, **{"level": "early_help", "pathway": "partnership_meeting", **changes}
        ),
    )
    meeting = SchoolPartnershipMeeting.objects.select_related("referral__school").get(
        referral=referral
    )
    return _keep(meeting, people)


def when(days=3, hour=14):
    start = (timezone.localtime() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=1, minutes=30)}


def scheduled(meeting=None, days=3):
    meeting = meeting or planned()
    return _keep(
        services.meeting_schedule(
            meeting=meeting,
            by=meeting.people["practitioner"],
            format="at_school",
            place="Library meeting room",
            **when(days),
        ),
        meeting.people,
    )


PRE_MEETING = {
    "pre_trends": "Girls in Year 9 arriving with gifts they could not afford.",
    "pre_peer_groups": "AB, CD, EF\nGroup B, Y10",
    "pre_places": "The park by the station after school; a group chat.",
    "pre_tried": "Talked to the girls' parents; extra staff at the gate.",
    "pre_strengths": "The girls trust the pastoral lead.",
}


def prepared(meeting):
    return _keep(
        services.pre_meeting_save(
            meeting=meeting, by=meeting.people["dsl"], data=PRE_MEETING, complete=True
        ),
        meeting.people,
    )


def recorded(meeting):
    """A scheduled meeting with a peer group, a place and two actions on its record."""
    people = meeting.people
    lead = people["practitioner"]
    meeting = outcomes.discussion_add(
        meeting=meeting,
        by=lead,
        about="peer_group",
        name="AB, CD, EF",
        concerns="Adults in cars waiting at the park.",
        strengths="They look out for each other.",
    )
    meeting = outcomes.discussion_add(
        meeting=meeting,
        by=lead,
        about="location",
        name="The park by the station",
        concerns="Unlit, no adults around at 4pm.",
    )
    due = timezone.localdate() + dt.timedelta(days=20)
    meeting = outcomes.action_add(
        meeting=meeting,
        by=lead,
        what="Patrols at the park at 4pm",
        why="Adults in cars",
        due_on=due,
        owner_contact="PC Shah, Safer Schools, police",
    )
    meeting = outcomes.action_add(
        meeting=meeting,
        by=lead,
        what="Group work with the girls",
        why="Gifts and grooming",
        due_on=due,
        owner=people["dsl"],
    )
    return _keep(meeting, people)


def held(meeting, time_machine, **changes):
    """Move the clock past the meeting and mark it held, attended by the lead and the DSL."""
    time_machine.move_to(meeting.ends_at + dt.timedelta(minutes=30), tick=False)
    people = meeting.people
    values = {
        "attendees": [people["practitioner"], people["dsl"]],
        "other_attendees": "PC Shah, Safer Schools officer, police",
        "terms_agreed": True,
        "terms_version": "Version 2.1, March 2026",
        "terms_agreed_on": timezone.localdate(),
        "terms_agreed_by": "Everyone who attended",
        "notes": "Agreed to meet again in six weeks.",
        **changes,
    }
    return _keep(
        outcomes.meeting_hold(meeting=meeting, by=people["practitioner"], **values), people
    )
