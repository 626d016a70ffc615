"""Who may do what with a Student Safety Summit, and which schools' part each person sees.
The services pass these to the runner; the pages compute their offers from them."""

from accounts.roles import Roles
from referrals.permissions import is_case_worker, is_front_door, is_panel_member
from safety_summits.summit.choices import AFTER_STATES, BEFORE_STATES, SummitState

S = SummitState


def may_run(user, summit) -> bool:
    """The summit's lead, the case's lead, or a practitioner or manager of the allocated
    team: they plan it, record the day, agree the next steps and share the report."""
    if summit.lead_id is not None and summit.lead_id == user.pk:
        return True
    return is_case_worker(user, summit.referral)


def may_open(user, referral) -> bool:
    return is_panel_member(user, referral)


def school_scope(user, summit) -> frozenset | None:
    """None if this person sees every school's part (the lead and team, the case's panel,
    the front door); otherwise the schools whose part they see: the invited schools they
    are a DSL of (the case's school included), never another school's details."""
    referral = summit.referral
    if may_run(user, summit) or is_panel_member(user, referral) or is_front_door(user, referral):
        return None
    invited = {school.pk for school in summit.schools.all()} | {referral.school_id}
    return frozenset(Roles.for_user(user).school_ids & invited)


def offers(user, summit) -> dict:
    runner = may_run(user, summit)
    state = summit.state
    return {
        "is_runner": runner,
        "may_plan": runner and state in BEFORE_STATES,
        "may_schedule": runner and state == S.PLANNED,
        "may_reschedule": runner and state == S.SCHEDULED,
        "may_cancel": runner and state in BEFORE_STATES,
        "may_record": runner and state == S.SCHEDULED,
        "may_follow_up": runner and state in AFTER_STATES,
        "may_share": runner and state == S.HELD,
        "may_refer_back": runner
        and state in AFTER_STATES
        and summit.referred_back_at is None
        and summit.referral.state in ("in_progress", "review"),
        "has_report": state in AFTER_STATES,
    }
