"""Object permission for actions on a case, beside the visible_to gate.

Each function answers "may this person do this to this referral?" from their memberships;
the services call them, and the case page uses them to offer only what is allowed."""

from django_fsm import can_proceed

from accounts.roles import Roles
from referrals.choices import ReferralState


def is_school_dsl(user, referral):
    return referral.school_id in Roles.for_user(user).school_ids


def is_front_door(user, referral):
    return referral.school.authority_id in Roles.for_user(user).front_door_authority_ids


def is_panel_member(user, referral):
    return referral.panel_id is not None and referral.panel_id in Roles.for_user(user).panel_ids


def is_case_worker(user, referral):
    """The lead practitioner, or a practitioner or manager of the allocated team."""
    if referral.lead_practitioner_id is not None and referral.lead_practitioner_id == user.pk:
        return True
    roles = Roles.for_user(user)
    return referral.allocated_team_id in (roles.team_ids | roles.managed_team_ids)


# Who may run each transition (besides the state machine allowing it).
WHO_MAY = {
    "submit": is_school_dsl,
    "withdraw": is_school_dsl,
    "edit_draft": is_school_dsl,
    "start_screening": is_front_door,
    "accept_to_panel": is_front_door,
    "redirect": is_front_door,
    "request_information": lambda user, referral: (
        is_front_door(user, referral)
        or (referral.state == ReferralState.AWAITING_PANEL and is_panel_member(user, referral))
    ),
    "provide_information": is_school_dsl,
    # The panel's decision: members of the referral's panel (panels.services also refuses a
    # member who declared a conflict of interest for the school).
    "decide": is_panel_member,
    # The pathway's work and its plan: the lead and their team; a supported self-assessment
    # is started by the school itself.
    "start_work": lambda user, referral: (
        is_case_worker(user, referral) or is_school_dsl(user, referral)
    ),
    "lead_work": is_case_worker,
}


def may(user, action, referral):
    return WHO_MAY[action](user, referral)


def available_actions(user, referral):
    """The actions this person can take now, for the case page."""
    actions = []
    checks = {
        "edit_draft": referral.state == ReferralState.DRAFT,
        "submit": can_proceed(referral.submit),
        "start_screening": can_proceed(referral.start_screening),
        "accept_to_panel": can_proceed(referral.accept_to_panel),
        "request_information": can_proceed(referral.request_information),
        "redirect": can_proceed(referral.redirect),
        "provide_information": referral.state == ReferralState.MORE_INFORMATION_REQUESTED,
        "withdraw": can_proceed(referral.withdraw),
    }
    for action, state_allows in checks.items():
        if state_allows and may(user, action, referral):
            actions.append(action)
    return actions


def may_step(user, referral) -> bool:
    """Whether to offer "step up or step down": a member of the case's panel, while the case
    is decided or under way (panels.services decides, and refuses a conflict of interest)."""
    return referral.state in (
        ReferralState.DECIDED,
        ReferralState.IN_PROGRESS,
    ) and may(user, "decide", referral)


def shows_plan(referral) -> bool:
    """Whether the case page links to the plan: from the decision on (a plan may open as soon
    as the pathway's work begins) to the case's close."""
    return referral.state in (
        ReferralState.DECIDED,
        ReferralState.IN_PROGRESS,
        ReferralState.REVIEW,
        ReferralState.CLOSED,
    )
