"""Demo Student Safety Summits (Early Help), led by the demo practitioner:

- one being planned for a North school: its activities chosen, a South school invited (its
  DSL, Tom Brennan, sees only his own school's part), practitioners invited, no date yet;
- one held ten working days ago, hosted by another North school with the South school, with
  young people counted, its safety map, what they said, next steps on the case plan, its
  report shared and "you said, we did" under way."""

import datetime as dt

from django.utils import timezone

from demo_data.partnership_meetings import decided
from safety_summits.summit import day, follow_up, services

RATIONALE = (
    "Early help: young people at several schools talk about feeling unsafe on the way home "
    "and online. A summit hears from them before deciding anything more."
)


def build(p, *, then, at, answers):
    lead, dsl = p["practitioner"], p["dsl"]
    north0, north1, south0 = p["north"][0], p["north"][1], p["south"][0]

    # Being planned: no date yet.
    referral = decided(
        p, north1, 2, then=then, answers=answers, pathway="safety_summit", rationale=RATIONALE
    )
    summit = referral.safety_summits.get()
    summit = then(
        1,
        services.plan_save,
        summit=summit,
        by=lead,
        activities=["school_map", "neighbourhood_map", "online"],
        young_people_invited="Ten young people from Years 8 to 10 of each school, chosen with "
        "the school councils.",
        inclusion="A quiet room; easy-read activity cards; a teaching assistant for SEND pupils.",
    )
    summit = then(1, services.school_invite, summit=summit, by=lead, school=south0)
    summit = then(
        1,
        services.invitee_add,
        summit=summit,
        by=lead,
        agency="police",
        name="PC Shah",
        organisation="Safer Schools officer",
    )
    then(1, services.invitee_add, summit=summit, by=lead, agency="school", user=dsl)

    # Held ten working days ago, with the South school.
    referral = decided(
        p, north0, 20, then=then, answers=answers, pathway="safety_summit", rationale=RATIONALE
    )
    summit = referral.safety_summits.get()
    summit = then(19, services.school_invite, summit=summit, by=lead, school=south0)
    summit = then(
        19,
        services.invitee_add,
        summit=summit,
        by=lead,
        agency="youth_work",
        name="Sam Reid",
        organisation="Youth service",
    )
    summit = then(19, services.invitee_add, summit=summit, by=lead, agency="school", user=dsl)
    summit = then(
        19,
        services.plan_save,
        summit=summit,
        by=lead,
        activities=["school_map", "neighbourhood_map", "online", "friendships"],
        young_people_invited="Year 9 and 10 volunteers from both schools.",
        inclusion="Small groups; a quiet room.",
    )
    start = at(10) - dt.timedelta(hours=3)
    summit = then(
        18,
        services.summit_schedule,
        summit=summit,
        by=lead,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2, minutes=30),
        place="The sports hall",
        host_school=north0,
    )
    record = [
        (
            day.turnout_save,
            {
                "school": north0,
                "counts": {
                    "pupils_by_year": {"y9": 14, "y10": 10},
                    "pupils_female": 13,
                    "pupils_male": 10,
                    "pupils_other_gender": 1,
                    "pupils_gender_not_known": 0,
                    "pupils_send": 4,
                },
            },
        ),
        (day.turnout_save, {"school": south0, "counts": {"pupils_by_year": {"y9": 9}}}),
        (
            day.place_add,
            {
                "school": north0,
                "kind": "school_space",
                "name": "The top corridor",
                "safe_count": 3,
                "unsafe_count": 17,
                "suggestions": "A member of staff there at break; cameras.",
            },
        ),
        (
            day.place_add,
            {
                "school": north0,
                "kind": "neighbourhood",
                "name": "The park by the station",
                "safe_count": 2,
                "unsafe_count": 15,
                "suggestions": "Lights; a youth worker at 4pm.",
            },
        ),
        (
            day.place_add,
            {
                "school": north0,
                "kind": "school_space",
                "name": "The library",
                "safe_count": 19,
                "unsafe_count": 1,
                "suggestions": "",
            },
        ),
        (
            day.place_add,
            {
                "school": south0,
                "kind": "online",
                "name": "Group chats",
                "safe_count": 1,
                "unsafe_count": 7,
                "suggestions": "Lessons on leaving a chat.",
            },
        ),
        (
            day.voice_add,
            {
                "school": north0,
                "question": "not_a_teacher",
                "said": "Teachers would tell our parents, or nothing would change.",
            },
        ),
        (
            day.voice_add,
            {
                "school": north0,
                "question": "talk_to",
                "said": "A friend first, then the pastoral lead.",
            },
        ),
        (
            day.voice_add,
            {
                "school": south0,
                "question": "must_change",
                "said": "Someone should be at the bus stop after school.",
            },
        ),
    ]
    for service, kwargs in record:
        summit = then(10, service, summit=summit, by=lead, **kwargs)
    due = timezone.localdate() + dt.timedelta(days=25)
    for what, why, owner, contact, school in [
        ("Staff on the top corridor at break", "Young people feel unsafe there", dsl, "", north0),
        (
            "Ask for lighting in the park",
            "The park feels unsafe after school",
            None,
            "Parks officer, the council",
            None,
        ),
    ]:
        summit = then(
            10,
            day.action_add,
            summit=summit,
            by=lead,
            what=what,
            why=why,
            due_on=due,
            owner=owner,
            owner_contact=contact,
            school=school,
        )
    dsl_invite = summit.invitees.get(user=dsl)
    summit = then(
        10,
        day.summit_hold,
        summit=summit,
        by=lead,
        attended=[dsl_invite.pk],
        other_attendees="Sam Reid, youth service; PC Shah, police",
        notes="Young people asked to hear back before the summer term.",
    )
    summit = then(9, follow_up.report_share, summit=summit, by=lead)
    summit = then(
        5,
        follow_up.response_save,
        summit=summit,
        by=lead,
        school=north0,
        you_said="The top corridor feels unsafe at break",
        we_did="A member of staff now stands there every break",
        done_on=at(6).date(),
        told_on=at(5).date(),
        how_told="Year 9 and 10 assemblies",
    )
    then(
        2,
        follow_up.response_save,
        summit=summit,
        by=lead,
        you_said="The park needs lights",
        we_did="",
        school=None,
    )
