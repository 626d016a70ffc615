"""Demo risk assessments and case plans: an immediate risk assessment overdue, one completed
and under review, an exploitation assessment running; plans being agreed, agreed with
actions for the DSL, the police and the lead, and a case closed with its outcomes."""

import datetime as dt

from django.utils import timezone

from panels import services as panel_services
from referrals import services
from referrals.plans import services as plan_services
from referrals.risks import services as risk_services

OUTCOMES = {
    "what_changed": "Pupils' survey: 84% now feel safe on the bus (was 41%); no reports "
    "from the top corridor since supervision started.",
    "young_people_told": "At a Year 9 assembly and through the school council, who helped "
    "write the new rota.",
    "parents_told": "A letter home and a drop-in at parents' evening.",
    "school_community_told": "Staff briefing; governors' safeguarding report.",
    "sustaining_safety": "Termly pupil safety survey; supervision rota in the staff handbook.",
}


def build(p, *, then, at, answers):
    dsl, fd, chair, lead = p["dsl"], p["frontdoor"], p["chair"], p["practitioner"]
    north0, north1, south0 = p["north"][0], p["north"][1], p["south"][0]
    north = p["panels"]["North"]

    def referral(school, by, days_ago, **changes):
        draft = then(days_ago, services.referral_start, school=school, by=by)
        draft = then(
            days_ago,
            services.referral_update_draft,
            referral=draft,
            by=by,
            data={**answers, **changes},
            indicators=[],
            linked_children=[],
        )
        return then(days_ago, services.referral_submit, referral=draft, by=by)

    # Sexual violence reported two working days ago: the immediate assessment is overdue.
    referral(north0, dsl, 2, concern_types=["sexual_violence", "sexual_harassment"])
    # Reported last week; the DSL completed the immediate assessment the next day.
    r = referral(north1, dsl, 6, concern_types=["sexual_violence"])
    (immediate,) = r.risk_assessments.all()
    then(
        5,
        risk_services.risk_complete,
        assessment=immediate,
        by=dsl,
        values={
            "victim": "Year 9 girl; wants to stay in her form group; a trusted adult chosen.",
            "alleged_perpetrators": "Year 10 boy; police informed; on a separate timetable.",
            "others": "Friends of both; staff on the bus duty rota.",
            "time_and_place": "4.10pm bus and the stop outside the leisure centre.",
            "place_safety": "Staff on the bus for four weeks; seating plan.",
            "measures": ["separate_classes", "transport", "trusted_adult", "timetable"],
            "measures_detail": "Separate buses home; lunchtime in the library with staff.",
            "professional_assessments": "Police view awaited; CAMHS referral made.",
            "risk_level": "high",
            "risk_reasons": "Continuing contact on the bus; online messages since.",
            "review_on": timezone.localdate() + dt.timedelta(days=14),
        },
    )
    # Child criminal exploitation reported yesterday: its own 5-day assessment runs.
    referral(south0, p["dsl.south"], 1, concern_types=["child_criminal_exploitation"])

    def decided(days_ago, school):
        r = referral(school, dsl, days_ago + 2)
        r = then(
            days_ago + 1,
            services.referral_accept_to_panel,
            referral=r,
            by=fd,
            panel=north,
            reason="A school context concern for the panel.",
        )
        then(
            days_ago,
            panel_services.decision_record,
            referral=r,
            by=chair,
            level="child_in_need",
            pathway="beyond_referrals",
            rationale="Harassment on transport shared by several schools: the school's "
            "supported Beyond Referrals self-assessment, with the bus operator and police.",
            advice="Keep the bus duty rota until the meeting.",
            lead_practitioner=lead,
            lead_team=p["team"],
            start_by=timezone.localdate(),
        )
        r.refresh_from_db()
        return r

    def plan_for(r, days_ago, actions):
        plan = then(
            days_ago,
            plan_services.plan_open,
            case=r,
            by=lead,
            reason="The self-assessment found gaps to act on",
        )
        plan = then(
            days_ago,
            plan_services.plan_update,
            plan=plan,
            by=lead,
            aims="Pupils feel safe on the 4.10pm bus and at the stop; staff respond the same "
            "way every time.",
        )
        made = [
            then(
                days_ago,
                plan_services.action_add,
                plan=plan,
                by=lead,
                what=what,
                why=why,
                owner=owner,
                due_on=timezone.localdate() + dt.timedelta(days=due_in),
            )
            for what, why, owner, due_in in actions
        ]
        return plan, made

    actions = [
        ("Staff on the 4.10pm bus for four weeks", "Pupils said the bus feels unsafe", dsl, 2),
        (
            "Officer at the leisure centre stop after school",
            "Incidents at the stop",
            p["police"],
            10,
        ),
        ("Pupil safety survey, repeated in six weeks", "Hear from young people", lead, 30),
    ]
    # Being agreed: the plan-agreed clock runs.
    plan_for(decided(4, north1), 3, actions[:1])
    # Agreed, the DSL's action done with evidence.
    r = decided(8, north0)
    plan, made = plan_for(r, 7, actions)
    plan = then(
        6,
        plan_services.plan_agree,
        plan=plan,
        by=lead,
        agreed_with="DSL, head teacher, police schools officer, bus operator, lead",
    )
    then(
        1,
        plan_services.action_done,
        action=made[0],
        by=dsl,
        evidence_of_impact="No incidents on the bus for three weeks; pupils say it is calmer.",
    )
    # Closed with its outcomes.
    r = decided(12, north1)
    plan, made = plan_for(r, 11, actions[:2])
    plan = then(
        10,
        plan_services.plan_agree,
        plan=plan,
        by=lead,
        agreed_with="DSL, police schools officer, lead",
    )
    then(
        4,
        plan_services.action_done,
        action=made[0],
        by=dsl,
        evidence_of_impact="Rota kept; pupils' survey shows the bus feels safe.",
    )
    plan.refresh_from_db()
    then(
        3,
        plan_services.plan_review,
        plan=plan,
        by=lead,
        young_people_say="The school council says the bus is fine now.",
        decision="close",
        reason="The plan's aims are met.",
    )
    r.refresh_from_db()
    then(
        2,
        plan_services.case_close,
        case=r,
        by=lead,
        outcomes=OUTCOMES,
        closing_reasons={made[1].pk: "The operator moved the stop; patrols no longer needed."},
    )
