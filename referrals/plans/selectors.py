"""Reads of plans and actions. A plan is read through its case (visible_to); an action also
by its owner, who may be a partner with no access to the case itself."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Case, Q, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Agency, AuthorityMembership, AuthorityRole
from casework.lists import capped_page_of
from casework.reads import opened
from notifications.selectors import clocks_of
from referrals.choices import ReferralState
from referrals.models import SchoolReferral
from referrals.plans.models import ActionState, PlanAction
from referrals.selectors import BY_URGENCY, rows_with_deadlines


def actions_visible_to(user):
    cases = SchoolReferral.objects.visible_to(user).values("pk")
    return PlanAction.objects.filter(Q(owner=user) | Q(plan__case__in=cases))


def visible_action(user, pk) -> PlanAction:
    """One action this person may read (through its case, or as its owner), or a 404; its
    case is opened (casework.reads), for an owner with no access to the case too."""
    action = get_object_or_404(
        actions_visible_to(user).select_related("plan__case__school", "owner"), pk=pk
    )
    opened(action.plan.case)
    return action


def with_rag(actions, now=None):
    """[(action, {"deadline", "rag"} or None)] in a fixed number of queries."""
    actions = list(actions)
    clocks = clocks_of(PlanAction, [a.pk for a in actions], now, running_only=True)
    return [(a, clocks[a.pk][0] if clocks[a.pk] else None) for a in actions]


def plan_page(case, now=None):
    """The case's current plan (the open one, else the last), its actions with their RAG,
    its reviews and the clock of its next review or agreement."""
    now = now or timezone.now()
    # One plan is open at a time and a new one only opens once the last closed, so the
    # newest plan is the current one.
    plan = case.plans.order_by("-created_at", "-pk").first()
    if plan is None:
        return None
    actions = with_rag(plan.actions.select_related("owner"), now)
    clocks = clocks_of(type(plan), [plan.pk], now, running_only=True)[plan.pk]
    return {
        "plan": plan,
        "actions": actions,
        "open_actions": [a for a, _ in actions if a.state == ActionState.OPEN],
        "reviews": list(plan.reviews.select_related("reviewed_by").order_by("-reviewed_at")),
        "clock": clocks[0] if clocks else None,
    }


# My actions' views: open work (the default), what is finished (done, or closed without
# being done), or everything.
MY_ACTIONS_SHOW = {"open": "Open", "done": "Done or closed", "all": "All"}
FINISHED = [ActionState.DONE, ActionState.CLOSED]


def my_actions(user, show: str = "open", number=None, now: dt.datetime | None = None) -> Page:
    """One page of the actions this person owns: open ones soonest due first (overdue ones
    first), finished ones the latest due first, each with its running clock's RAG (one query
    for the page's). An owner may always read their own action (actions_visible_to), so
    owner=user is already its read gate, without the case subquery; served by the (owner,
    state) index."""
    actions = PlanAction.objects.filter(owner=user).select_related("plan__case__school")
    if show == "open":
        actions = actions.filter(state=ActionState.OPEN).order_by("due_on", "pk")
    elif show == "done":
        actions = actions.filter(state__in=FINISHED).order_by("-due_on", "-pk")
    else:
        # Open first (the state's text would sort "closed" and "done" before "open").
        still_open = Case(When(state=ActionState.OPEN, then=0), default=1)
        actions = actions.order_by(still_open, "due_on", "pk")
    page = capped_page_of(actions, number)
    page.object_list = with_rag(page.object_list, now)
    return page


def action_owner_choices(case):
    """Who can own an action: the case's practitioners, the school's DSLs and the
    authority's partner agencies' people."""
    User = get_user_model()
    team = Q(team_memberships__team_id=case.allocated_team_id) if case.allocated_team_id else Q()
    people = (
        User.objects.filter(
            Q(pk=case.lead_practitioner_id)
            | team
            | Q(school_memberships__school_id=case.school_id)
            | Q(
                authority_memberships__authority_id=case.school.authority_id,
                authority_memberships__role=AuthorityRole.PARTNER,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )
    agencies = dict(
        AuthorityMembership.objects.filter(
            authority_id=case.school.authority_id, role=AuthorityRole.PARTNER
        ).values_list("user_id", "agency")
    )
    schools = set(case.school.memberships.values_list("user_id", flat=True))
    choices = []
    for person in people:
        name = person.get_full_name() or person.email
        if person.pk in schools:
            where = f"{case.school.name}"
        elif person.pk in agencies:
            code = agencies[person.pk]
            where = Agency(code).label if code in Agency.values else "partner agency"
        else:
            where = "practitioner"
        choices.append((person, f"{name} ({where})"))
    return choices


CASELOAD_STATES = [
    ReferralState.DECIDED,
    ReferralState.IN_PROGRESS,
    ReferralState.REVIEW,
    ReferralState.AWAITING_PANEL,
]


def caseload(user, number, now: dt.datetime | None = None) -> Page:
    """One page of the open cases this person leads or their teams hold, most urgent first
    (the soonest running deadline, so overdue ones first), each with its running deadlines
    (one query for the page's)."""
    from accounts.roles import Roles

    roles = Roles.for_user(user)
    teams = roles.team_ids | roles.managed_team_ids
    referrals = (
        SchoolReferral.objects.visible_to(user)
        .filter(Q(lead_practitioner=user) | Q(allocated_team_id__in=teams))
        .filter(state__in=CASELOAD_STATES)
        .select_related("school", "lead_practitioner")
        .order_by(*BY_URGENCY)
    )
    page = capped_page_of(referrals, number)
    page.object_list = rows_with_deadlines(page.object_list, now or timezone.now())
    return page
