"""Student Safety Summits in each state, built through the panel's decision and the summit
services (never by setting the protected state field). Tests that use these pin the clock
(`@pytest.mark.time_machine(MONDAY, tick=False)`) and move it with time_machine.move_to. A
summit brings two schools together: the case's (people["dsl"]) and another
(people["other_school"], whose DSL is people["other_dsl"])."""

import datetime as dt

from django.utils import timezone

from panels.services import decision_record
from safety_summits.summit import day, services
from safety_summits.summit.models import SafetySummit
from tests.accounts.factories import SchoolFactory, dsl_of
from tests.panels.factories import awaiting_panel, decision_args
from tests.safety_summits.factories import LONDON, MONDAY, when

__all__ = ["LONDON", "MONDAY"]


def _keep(summit, people):
    summit.people = people
    return summit


def planned_summit(**changes):
    """A summit just opened by the panel's decision, with a second school of the authority
    invited and a practitioner with no account invited by name."""
    referral = awaiting_panel()
    people = referral.people
    decision_record(
        referral=referral,
        by=people["panel_member"],
        **decision_args(referral, **{"level": "early_help", "pathway": "safety_summit", **changes}),
    )
    summit = SafetySummit.objects.select_related("referral__school").get(referral=referral)
    other = SchoolFactory(authority=referral.school.authority, name="Riverside College")
    people.update(other_school=other, other_dsl=dsl_of(other))
    lead = people["practitioner"]
    summit = services.school_invite(summit=summit, by=lead, school=other)
    summit = services.invitee_add(
        summit=summit, by=lead, agency="police", name="PC Shah", organisation="Safer Schools"
    )
    summit = services.invitee_add(summit=summit, by=lead, agency="school", user=people["dsl"])
    return _keep(summit, people)


def scheduled_summit(summit=None, days=5):
    summit = summit or planned_summit()
    return _keep(
        services.summit_schedule(
            summit=summit,
            by=summit.people["practitioner"],
            place="The sports hall",
            host_school=summit.referral.school,
            **when(days, hour=9),
        ),
        summit.people,
    )


def recorded_summit(summit):
    """A scheduled summit with both schools' young people counted, places on the safety map,
    what they said, and two next steps."""
    people = summit.people
    lead, home, other = people["practitioner"], summit.referral.school, people["other_school"]
    summit = day.turnout_save(
        summit=summit,
        by=lead,
        school=home,
        counts={
            "pupils_by_year": {"y9": 12, "y10": 8},
            "pupils_female": 11,
            "pupils_male": 9,
            "pupils_other_gender": 0,
            "pupils_gender_not_known": 0,
            "pupils_send": 3,
        },
    )
    summit = day.turnout_save(
        summit=summit, by=lead, school=other, counts={"pupils_by_year": {"y12": 10}}
    )
    summit = day.place_add(
        summit=summit,
        by=lead,
        school=home,
        kind="school_space",
        name="The top corridor",
        safe_count=2,
        unsafe_count=15,
        suggestions="A member of staff at break.",
    )
    summit = day.place_add(
        summit=summit,
        by=lead,
        school=other,
        kind="neighbourhood",
        name="Riverside bus station",
        safe_count=1,
        unsafe_count=8,
        suggestions="Better lighting.",
    )
    summit = day.voice_add(
        summit=summit,
        by=lead,
        school=home,
        question="not_a_teacher",
        said="Teachers would tell our parents.",
    )
    summit = day.voice_add(
        summit=summit,
        by=lead,
        school=other,
        question="must_change",
        said="The college should talk to the bus company.",
    )
    due = timezone.localdate() + dt.timedelta(days=30)
    summit = day.action_add(
        summit=summit,
        by=lead,
        what="Staff on the top corridor at break",
        why="Young people feel unsafe there",
        due_on=due,
        owner=people["dsl"],
        school=home,
    )
    summit = day.action_add(
        summit=summit,
        by=lead,
        what="Ask the bus company for lighting",
        why="The bus station feels unsafe",
        due_on=due,
        owner_contact="Transport officer, council",
        school=other,
    )
    return _keep(summit, people)


def held_summit(summit, time_machine, **changes):
    """Move the clock past the summit and mark it held; the DSL (invited) came."""
    time_machine.move_to(summit.ends_at + dt.timedelta(minutes=30), tick=False)
    people = summit.people
    dsl_invite = summit.invitees.get(user=people["dsl"])
    values = {
        "attended": [dsl_invite.pk],
        "other_attendees": "A youth worker, Youth Service",
        "notes": "Young people asked to hear back before the summer.",
        **changes,
    }
    return _keep(day.summit_hold(summit=summit, by=people["practitioner"], **values), people)
