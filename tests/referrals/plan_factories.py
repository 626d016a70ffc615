"""Cases with plans, built through the services (never by setting a state by hand)."""

import datetime as dt

from django.utils import timezone

from accounts.models import Agency, AuthorityRole
from panels import services as panel_services
from referrals.models import SchoolReferral
from referrals.plans import services as plan_services
from tests.accounts.factories import authority_role
from tests.casework.pathways import registered
from tests.panels.factories import awaiting_panel, decision_args


def decided_case(**changes):
    """A case decided for a partnership meeting (here the test pathway of
    tests.casework.pathways, which opens no work item of its own), with the practitioner as
    lead; people in `case.people`, plus a police partner."""
    referral = awaiting_panel()
    people = referral.people
    with registered():
        decided = panel_services.decision_record(
            referral=referral,
            by=people["panel_member"],
            **decision_args(
                referral,
                **{"level": "early_help", "pathway": "partnership_meeting", **changes},
            ),
        )
    case = SchoolReferral.objects.get(pk=decided.referral_id)
    people["police"] = authority_role(
        case.school.authority, AuthorityRole.PARTNER, agency=Agency.POLICE
    )
    case.people = people
    return case


def in_days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def plan_with_actions(case=None, *, owners=("dsl",), agree=False):
    """A case with an open plan and one action per named owner (keys of case.people)."""
    case = case or decided_case()
    lead = case.people["practitioner"]
    plan = plan_services.plan_open(case=case, by=lead, reason="Partnership meeting held")
    plan = plan_services.plan_update(
        plan=plan, by=lead, aims="Pupils feel safe on the bus and in the top corridor."
    )
    actions = [
        plan_services.action_add(
            plan=plan,
            by=lead,
            what=f"Action for {who}",
            why="Pupils said the bus feels unsafe",
            due_on=in_days(14 + i),
            owner=case.people[who],
        )
        for i, who in enumerate(owners)
    ]
    if agree:
        plan = plan_services.plan_agree(
            plan=plan.__class__.objects.get(pk=plan.pk), by=lead, agreed_with="DSL and police"
        )
    case.refresh_from_db()
    return case, plan.__class__.objects.get(pk=plan.pk), actions
