"""Who may do what to a School Assessment, and what its workspace offers them."""

from referrals.permissions import is_case_worker, is_school_dsl
from school_assessments.choices import EDITABLE_STATES, AssessmentState

A = AssessmentState


def may_work_on(user, assessment):
    """The assessment's lead, the case's lead, or a practitioner or manager of the allocated
    team."""
    if assessment.lead_id is not None and assessment.lead_id == user.pk:
        return True
    return is_case_worker(user, assessment.referral)


def may_respond_for_school(user, assessment):
    return is_school_dsl(user, assessment.referral)


# The one transition the workspace offers next, by state (the views' ACTIONS keys).
NEXT_STEP = {
    A.PLANNED: "start",
    A.IN_PROGRESS: "draft-findings",
    A.FINDINGS_DRAFTED: "share",
    A.SHARED_WITH_SCHOOL: "complete",
}


def offers(user, assessment) -> dict:
    """What the workspace offers this person, so the page only renders it: whether they work
    on it, may edit its sections, may add the school's response, and the next step."""
    worker = may_work_on(user, assessment)
    return {
        "is_worker": worker,
        "editable": worker and assessment.state in EDITABLE_STATES,
        "may_respond": may_respond_for_school(user, assessment)
        and assessment.state == A.SHARED_WITH_SCHOOL,
        "next_step": NEXT_STEP.get(assessment.state) if worker else None,
    }
