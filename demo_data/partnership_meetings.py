"""Demo School Partnership Meetings (Early Help):

- one scheduled for next week, waiting for the school's pre-meeting document (the DSL is
  asked for it in their inbox);
- one held eight working days ago whose safety plan went out yesterday, late (its
  5-working-day clock met late), with its actions on the case plan.

Both are led by the demo practitioner, in the demo team, decided by the North panel (the
Student Safety Summits are demo_data.safety_summits)."""

import datetime as dt

from django.utils import timezone

from panels import services as panel_services
from referrals import services
from safety_summits import outcomes as meeting_outcomes
from safety_summits import services as meeting_services

AGENDA = """1. Introductions; the terms of reference and information-sharing agreement
2. The school's pre-meeting document: trends, peer groups and places
3. Concerns and strengths, per peer group and per place
4. Actions for the safety plan: what, who, by when
5. When we meet again"""


def decided(p, school, days_ago, *, then, answers, pathway="partnership_meeting", rationale=""):
    """A referral of `school`, decided by the North panel `days_ago` working days ago for
    an Early Help `pathway`, led by the demo practitioner."""
    dsl, fd, chair = p["dsl"], p["frontdoor"], p["chair"]
    draft = then(days_ago + 2, services.referral_start, school=school, by=dsl)
    draft = then(
        days_ago + 2,
        services.referral_update_draft,
        referral=draft,
        by=dsl,
        data=answers,
        indicators=[],
        linked_children=[],
    )
    r = then(days_ago + 2, services.referral_submit, referral=draft, by=dsl)
    r = then(
        days_ago + 1,
        services.referral_accept_to_panel,
        referral=r,
        by=fd,
        panel=p["panels"]["North"],
        reason="Concerns about a group of girls and a place near the school.",
    )
    then(
        days_ago,
        panel_services.decision_record,
        referral=r,
        by=chair,
        level="early_help",
        pathway=pathway,
        rationale=rationale
        or "Early help: the school wants to understand the concerns about a peer group "
        "and the park by the station with its partners, before they grow.",
        advice="Keep staff at the gate at home time until the meeting.",
        lead_practitioner=p["practitioner"],
        lead_team=p["team"],
        start_by=timezone.localdate(),
    )
    r.refresh_from_db()
    return r


def build(p, *, then, at, answers):
    lead, dsl = p["practitioner"], p["dsl"]

    # Scheduled for next week; the school has not written its pre-meeting document yet.
    meeting = decided(p, p["north"][1], 3, then=then, answers=answers).partnership_meetings.get()
    start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=7)
    then(
        2,
        meeting_services.meeting_schedule,
        meeting=meeting,
        by=lead,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1, minutes=30),
        format="at_school",
        place="Library meeting room",
        agenda=AGENDA,
    )

    # Held eight working days ago; the safety plan went out yesterday, late.
    meeting = decided(p, p["north"][0], 14, then=then, answers=answers).partnership_meetings.get()
    held_on = at(9) - dt.timedelta(hours=1)
    meeting = then(
        13,
        meeting_services.meeting_schedule,
        meeting=meeting,
        by=lead,
        starts_at=held_on,
        ends_at=held_on + dt.timedelta(minutes=45),
        format="online",
        place="Video call (link sent by email)",
        agenda=AGENDA,
    )
    meeting = then(
        11,
        meeting_services.pre_meeting_save,
        meeting=meeting,
        by=dsl,
        complete=True,
        data={
            "pre_trends": "Three Year 9 girls arriving with expensive gifts; missing last "
            "lessons on Fridays.",
            "pre_peer_groups": "AB, CD, EF (Year 9)",
            "pre_places": "The park by the station after school; a group chat on Snapchat.",
            "pre_tried": "Talked to parents; staff at the gate at home time.",
            "pre_strengths": "The girls trust the pastoral lead and each other.",
        },
    )
    for about, name, concerns, strengths in [
        ("peer_group", "AB, CD, EF", "Gifts from older males; secrecy.", "Close friendships."),
        ("location", "The park by the station", "Unlit, no adults at 4pm.", "Youth club nearby."),
    ]:
        meeting = then(
            8,
            meeting_outcomes.discussion_add,
            meeting=meeting,
            by=lead,
            about=about,
            name=name,
            concerns=concerns,
            strengths=strengths,
        )
    due = timezone.localdate() + dt.timedelta(days=30)
    for what, why, owner, contact in [
        ("Patrols at the park at home time", "Adults waiting in cars", None, "PC Shah, police"),
        ("Group work with the girls", "Gifts and secrecy", dsl, ""),
    ]:
        meeting = then(
            8,
            meeting_outcomes.action_add,
            meeting=meeting,
            by=lead,
            what=what,
            why=why,
            due_on=due,
            owner=owner,
            owner_contact=contact,
        )
    meeting = then(
        8,
        meeting_outcomes.meeting_hold,
        meeting=meeting,
        by=lead,
        attendees=[lead, dsl],
        other_attendees="PC Shah, Safer Schools officer; Sam Reid, youth worker",
        terms_agreed=True,
        terms_version="Terms of reference and information-sharing agreement, version 2.1",
        terms_agreed_on=timezone.localtime(held_on).date(),
        terms_agreed_by="Everyone who attended: Children's Social Care, the school, the "
        "police and the youth service",
        notes="Meet again in six weeks to review the plan.",
    )
    then(1, meeting_outcomes.meeting_distribute, meeting=meeting, by=lead)
