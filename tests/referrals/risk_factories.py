"""Referrals whose concerns start risk assessments, and the answers that complete one.
Built through the services, like tests/referrals/factories.py."""

import datetime as dt

from django.utils import timezone

from accounts.models import TeamRole
from panels import services as panel_services
from referrals import services
from referrals.choices import ReferralState
from referrals.indicators import seed_indicators
from referrals.risks import services as risk_services
from referrals.risks.models import RiskAssessment, RiskKind
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    TeamFactory,
    dsl_of,
    front_door_of,
    panel_member_of,
    team_member_of,
)
from tests.referrals.factories import COMPLETE_ANSWERS

SEXUAL_VIOLENCE = ["sexual_violence", "sexual_harassment"]
EXPLOITATION = ["child_criminal_exploitation"]
OTHER_HARM = ["bullying", "online_harm"]


def referral_with(concerns, school=None):
    """A submitted referral reporting `concerns`, with its people in `referral.people`:
    the school's DSL, the front door, the panel, a member of it, another school's DSL."""
    school = school or SchoolFactory()
    seed_indicators(school.authority)
    dsl = dsl_of(school)
    referral = services.referral_start(school=school, by=dsl)
    referral = services.referral_update_draft(
        referral=referral,
        by=dsl,
        data={**COMPLETE_ANSWERS, "concern_types": list(concerns)},
        indicators=[],
        linked_children=[],
    )
    referral = services.referral_submit(referral=referral, by=dsl)
    panel = ContextPanelFactory(authority=school.authority, region=school.locality)
    referral.people = {
        "dsl": dsl,
        "front_door": front_door_of(school.authority),
        "panel": panel,
        "panel_member": panel_member_of(panel),
        "other_dsl": dsl_of(SchoolFactory(authority=school.authority)),
    }
    return referral


def allocated(referral):
    """Take `referral` through the front door and its panel to a decision that names a lead
    practitioner and team (who become its case workers)."""
    people = referral.people
    team = TeamFactory(authority=referral.school.authority)
    people.update(
        team=team,
        practitioner=team_member_of(team),
        manager=team_member_of(team, role=TeamRole.MANAGER),
    )
    referral = services.referral_accept_to_panel(
        referral=referral, by=people["front_door"], panel=people["panel"], reason="Meets it."
    )
    panel_services.decision_record(
        referral=referral,
        by=people["panel_member"],
        level="child_in_need",
        pathway="school_assessment",
        rationale="Pattern of harm across a year group.",
        lead_practitioner=people["practitioner"],
        lead_team=team,
        start_by=timezone.localdate() + dt.timedelta(days=10),
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECIDED
    referral.people = people
    return referral


def answers(**changes):
    """A complete risk assessment, as the service takes it."""
    values = {
        "victim": "Wants to stay in her form group; a named adult to go to at lunch.",
        "other_victims": "Two girls in the same friendship group were sent images.",
        "alleged_perpetrators": "Moved to another maths set; a support plan with his mother.",
        "others": "Year 9 form tutors told; staff supervise the top corridor.",
        "time_and_place": "Lunchtime, top corridor by the science block; the 41 bus home.",
        "place_safety": "Staff on the corridor at lunch; CCTV checked; bus escort.",
        "measures": ["separate_classes", "transport", "trusted_adult"],
        "measures_detail": "Separate maths sets; separate bus; Ms K is the trusted adult.",
        "professional_assessments": "Social care strategy discussion; police view awaited.",
        "risk_level": "high",
        "risk_reasons": "The alleged perpetrator and victim share the bus and a corridor.",
        "review_on": timezone.localdate() + dt.timedelta(days=28),
    }
    values.update(changes)
    return values


def form_data(values=None, version=0):
    """The completion form's POST data for `values` (the service's answers)."""
    values = values or answers()
    data = {k: v for k, v in values.items() if k not in ("measures", "review_on")}
    data["measures"] = values.get("measures", [])
    review_on = values.get("review_on")
    if review_on:
        data.update(
            review_on_day=str(review_on.day),
            review_on_month=str(review_on.month),
            review_on_year=str(review_on.year),
        )
    data["version"] = str(version)
    return data


def immediate_of(referral):
    return RiskAssessment.objects.get(case=referral, kind=RiskKind.IMMEDIATE)


def completed(referral, by=None):
    """The referral's immediate assessment, completed by its DSL."""
    return risk_services.risk_complete(
        assessment=immediate_of(referral), by=by or referral.people["dsl"], values=answers()
    )
