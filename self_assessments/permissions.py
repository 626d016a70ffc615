"""Who may do what to an audit, beside the visible_to gate. The services call these; the
pages use them to offer only what is allowed."""

from referrals.permissions import is_case_worker, is_school_dsl
from self_assessments.querysets import partnership_authority_ids


def is_partnership_member(user, authority_id):
    return authority_id in partnership_authority_ids(user)


def may_contribute(user, assessment):
    """Answer items and submit: the school's DSLs and the practitioner supporting them
    (pathway), or the partnership's members."""
    if assessment.is_pathway:
        return is_school_dsl(user, assessment.case) or is_case_worker(user, assessment.case)
    return is_partnership_member(user, assessment.authority_id)


def may_review(user, assessment):
    """The practitioner's review of a school's self-assessment: the lead and their team."""
    return assessment.is_pathway and is_case_worker(user, assessment.case)


def may_plan(user, assessment):
    """Turn gaps into plan actions: case workers on the case plan; partnership members on
    the partnership's improvement plan."""
    if assessment.is_pathway:
        return is_case_worker(user, assessment.case)
    return is_partnership_member(user, assessment.authority_id)


def may_close(user, assessment):
    if assessment.is_pathway:
        return is_case_worker(user, assessment.case)
    return is_partnership_member(user, assessment.authority_id)


def must_review_before_closing(assessment) -> bool:
    """A school's self-assessment for a case is reviewed by the lead (which turns its gaps into
    plan actions) before it can close; a partnership's audit can close once submitted."""
    from self_assessments.models import SelfAssessmentState

    return assessment.is_pathway and assessment.state == SelfAssessmentState.SUBMITTED
