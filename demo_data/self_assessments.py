"""Demo self-assessment audits: a school's Beyond Referrals self-assessment on a decided case
(submitted, waiting for the practitioner's review), and two partnership audits of each
instrument a few months apart, so the comparison and the improvement plan show.

Called by the demo command as `self_assessments.build(people, now)` with its `people` dict
(dsl, frontdoor, chair, practitioner, police, authority, team, north, panels, ...)."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from panels import services as panel_services
from referrals import services as referral_services
from self_assessments import gaps, instruments, services
from self_assessments.models import Item

ANSWERS = {
    "concern_types": ["sexual_harassment", "harmful_sexual_behaviour"],
    "incident_description": (
        "Repeated sexualised comments and unwanted touching reported by Year 10 girls in the "
        "lunch queue and the changing rooms over a term."
    ),
    "patterns": "Lunchtimes and PE lessons; a group of Year 10 boys.",
    "places": ["corridors", "peer_groups"],
    "pupils_by_year": {"y10": 8},
    "pupils_female": 6,
    "pupils_male": 2,
    "pupils_send": 1,
    "actions_taken": ["risk_assessment", "parents_informed"],
    "actions_detail": "Risk assessments and changes to PE supervision.",
    "young_people_views": "Girls say staff treat it as banter.",
    "information_sharing_basis": "public_task",
}

NOTES = {
    "red": "Not in place: no evidence found in case files or minutes.",
    "amber": "Partly in place; not yet consistent across agencies.",
    "green": "In place and used; seen in case reviews and meeting minutes.",
}


@contextmanager
def _at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _answer_all(audit, by, choices, default):
    items = Item.objects.filter(instrument=audit.instrument)
    answers = {}
    for item in items:
        choice = choices.get(item.number, default)
        answers[item] = {
            "choice": choice,
            "evidence": ["case_reviews", "policy_review"]
            if item.number.endswith("1")
            else ["meeting_observations"],
            "note": NOTES.get(choice, f"Scored {choice}: see the partnership's audit folder."),
        }
    return services.answers_save(assessment=audit, by=by, answers=answers)


def _partnership_audit(*, authority, instrument, people, when, choices, default, close):
    starter, helper = people["frontdoor"], people["police"]
    with _at(when):
        audit = services.partnership_audit_start(
            authority=authority,
            instrument=instrument,
            by=starter,
            title=f"{authority.name} partnership: {instrument.short_name}, {when:%B %Y}",
        )
    with _at(when + dt.timedelta(days=2)):
        audit = _answer_all(audit, helper, choices, default)
    with _at(when + dt.timedelta(days=5)):
        audit = services.self_assessment_submit(assessment=audit, by=starter)
    if close:
        with _at(when + dt.timedelta(days=20)):
            audit = services.self_assessment_close(
                assessment=audit, by=starter, reason="Actions agreed; re-audit in six months."
            )
    return audit


def build(people, now):
    instruments.ensure_bundled()
    authority = people["authority"]
    beyond = instruments.pathway_instrument(authority)
    nspcc = (
        instruments.Instrument.objects.filter(key="nspcc-hsb-framework-audit")
        .order_by("-loaded_at")
        .first()
    )
    # --- partnership audits, six months apart -------------------------------------------
    earlier, later = now - dt.timedelta(days=190), now - dt.timedelta(days=20)
    _partnership_audit(
        authority=authority,
        instrument=beyond,
        people=people,
        when=earlier,
        choices={"1.1": "green", "1.2": "amber", "3.2": "green", "4.1": "amber"},
        default="red",
        close=True,
    )
    latest = _partnership_audit(
        authority=authority,
        instrument=beyond,
        people=people,
        when=later,
        choices={"1.3": "red", "2.3": "red", "3.4": "red", "4.5": "amber", "4.1": "red"},
        default="amber",
        close=False,
    )
    _partnership_audit(
        authority=authority,
        instrument=nspcc,
        people=people,
        when=earlier - dt.timedelta(days=10),
        choices={"1.1": "2", "2.4": "3", "3.1": "2"},
        default="1",
        close=True,
    )
    nspcc_latest = _partnership_audit(
        authority=authority,
        instrument=nspcc,
        people=people,
        when=later - dt.timedelta(days=10),
        choices={"1.1": "4", "1.6c": "1", "2.4": "2", "5.4": "1"},
        default="3",
        close=False,
    )
    for audit, number, what in (
        (latest, "1.3", "Publish the HSB strategy and link it to CSE and CCE procedures"),
        (nspcc_latest, "5.4", "Commission multi-disciplinary HSB training for all agencies"),
    ):
        gaps.gap_action_add(
            assessment=audit,
            item=Item.objects.get(instrument=audit.instrument, number=number),
            by=people["frontdoor"],
            what=what,
            due_on=now.date() + dt.timedelta(days=60),
            owner=people["police"] if audit is nspcc_latest else people["frontdoor"],
        )

    # --- a school on the Beyond Referrals pathway ---------------------------------------------
    school, dsl = people["north"][1], people["dsl"]
    with _at(now - dt.timedelta(days=16)):
        referral = referral_services.referral_start(school=school, by=dsl)
        referral = referral_services.referral_update_draft(
            referral=referral, by=dsl, data=ANSWERS, indicators=[], linked_children=[]
        )
        referral = referral_services.referral_submit(referral=referral, by=dsl)
    with _at(now - dt.timedelta(days=15)):
        referral = referral_services.referral_accept_to_panel(
            referral=referral,
            by=people["frontdoor"],
            panel=people["panels"]["North"],
            reason="Harmful sexual behaviour across a year group: a school context concern.",
        )
    with _at(now - dt.timedelta(days=12)):
        panel_services.decision_record(
            referral=referral,
            by=people["chair"],
            level="child_in_need",
            pathway="beyond_referrals",
            rationale="The school recognises the pattern and has capacity to act; a supported "
            "Beyond Referrals self-assessment will show where its response needs to change.",
            advice="Record every incident in the behaviour log with where it happened.",
            lead_practitioner=people["practitioner"],
            lead_team=people["team"],
            start_by=(now - dt.timedelta(days=5)).date(),
        )
    audit = referral.self_assessments.get()
    with _at(now - dt.timedelta(days=8)):
        audit = _answer_all(audit, dsl, {"1.1": "amber", "2.1": "red", "3.5": "red"}, "green")
    with _at(now - dt.timedelta(days=2)):
        services.self_assessment_submit(assessment=audit, by=dsl)
