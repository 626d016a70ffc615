"""Referrals in each state. Built through the services where a state needs a transition,
so the factories never set a protected state field by hand."""

import factory

from accounts.models import PanelRole
from referrals import services
from referrals.choices import ReferralState
from referrals.indicators import seed_indicators
from referrals.models import SchoolReferral
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    dsl_of,
    front_door_of,
    panel_member_of,
)

COMPLETE_ANSWERS = {
    "concern_types": ["sexual_harassment", "online_harm"],
    "incident_description": "Repeated comments and image sharing among Year 9 pupils.",
    "patterns": "Mostly at lunchtime and on the bus home.",
    "places": ["corridors", "transport", "online"],
    "pupils_by_year": {"y9": 6, "y10": 2},
    "pupils_female": 5,
    "pupils_male": 3,
    "pupils_send": 1,
    "actions_taken": ["risk_assessment", "parents_informed"],
    "actions_detail": "Risk assessments for the two pupils most affected.",
    "young_people_views": "Girls say the bus and the top corridor feel unsafe.",
    "information_sharing_basis": "public_task",
}


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolReferral

    school = factory.SubFactory(SchoolFactory)
    created_by = factory.LazyAttribute(lambda o: dsl_of(o.school))


def draft(school=None, dsl=None, complete=True):
    school = school or SchoolFactory()
    dsl = dsl or dsl_of(school)
    referral = services.referral_start(school=school, by=dsl)
    if complete:
        referral = services.referral_update_draft(
            referral=referral, by=dsl, data=COMPLETE_ANSWERS, indicators=[], linked_children=[]
        )
    return referral


def submitted(school=None, dsl=None):
    school = school or SchoolFactory()
    dsl = dsl or dsl_of(school)
    return services.referral_submit(referral=draft(school, dsl), by=dsl)


def in_state(state, school=None):
    """A referral in `state`, with the people who moved it there in `referral.people`."""
    school = school or SchoolFactory()
    seed_indicators(school.authority)
    dsl = dsl_of(school)
    front_door = front_door_of(school.authority)
    panel = ContextPanelFactory(authority=school.authority, region=school.locality)
    people = {"dsl": dsl, "front_door": front_door, "panel": panel}
    referral = draft(school, dsl) if state == ReferralState.DRAFT else submitted(school, dsl)
    S = ReferralState
    if state == S.SCREENING:
        referral = services.referral_start_screening(referral=referral, by=front_door)
    elif state == S.AWAITING_PANEL:
        referral = services.referral_accept_to_panel(
            referral=referral, by=front_door, panel=panel, reason="Meets the school threshold."
        )
    elif state == S.MORE_INFORMATION_REQUESTED:
        referral = services.referral_request_information(
            referral=referral, by=front_door, message="How many pupils use the bus?"
        )
    elif state == S.REDIRECTED:
        referral = services.referral_redirect(
            referral=referral, by=front_door, reason="About one child: individual referral."
        )
    elif state == S.WITHDRAWN:
        referral = services.referral_withdraw(referral=referral, by=dsl, reason="Sent in error.")
    people["panel_member"] = panel_member_of(panel)
    people["panel_chair"] = panel_member_of(panel, role=PanelRole.CHAIR)
    referral.people = people
    return referral
