"""Who may do what with a School Partnership Meeting, as plain functions the services pass
to the runner and the pages use to compute their offers."""

from referrals.permissions import is_case_worker, is_panel_member, is_school_dsl
from safety_summits.choices import BEFORE_STATES, MeetingState

M = MeetingState


def may_run(user, meeting) -> bool:
    """The meeting's lead, the case's lead, or a practitioner or manager of the allocated
    team: they arrange the meeting, record it and send the safety plan."""
    if meeting.lead_id is not None and meeting.lead_id == user.pk:
        return True
    return is_case_worker(user, meeting.referral)


def may_prepare(user, meeting) -> bool:
    """The school's DSLs write the pre-meeting document, before the meeting."""
    return is_school_dsl(user, meeting.referral)


def may_open(user, referral) -> bool:
    """The panel's decision opens the meeting: a member of the case's panel."""
    return is_panel_member(user, referral)


def offers(user, meeting) -> dict:
    """What the meeting's page offers this person, so the template only renders it."""
    runner = may_run(user, meeting)
    state = meeting.state
    return {
        "is_runner": runner,
        "may_schedule": runner and state == M.PLANNED,
        "may_reschedule": runner and state == M.SCHEDULED,
        "may_cancel": runner and state in BEFORE_STATES,
        "may_change_agenda": runner and state in BEFORE_STATES,
        "may_record": runner and state == M.SCHEDULED,
        "may_distribute": runner and state == M.HELD,
        "may_prepare": may_prepare(user, meeting) and state in BEFORE_STATES,
        "has_plan": state in (M.HELD, M.PLAN_DISTRIBUTED),
    }
