"""The pathway's start: when a context panel decides "school supported to complete a Beyond
Referrals assessment", the school's self-assessment starts (referrals.signals.pathway_decided
is sent inside the decision's transaction, so the audit and its clock start with the decision
or not at all). A decision for another pathway, or the case ending, stops one under way. The
handlers only call the services."""

from referrals.signals import pathway_change_reason
from self_assessments import services

BEYOND_REFERRALS = "beyond_referrals"


def start_self_assessment(sender, *, referral, decision, by, **kwargs):
    if decision.pathway != BEYOND_REFERRALS:
        services.self_assessment_stop(
            referral=referral, by=by, reason=pathway_change_reason(decision)
        )
        return
    services.self_assessment_start_for_pathway(referral=referral, decision=decision, by=by)


def stop_self_assessment_when_the_case_ends(sender, *, referral, by, reason, **kwargs):
    services.self_assessment_stop(referral=referral, by=by, reason=f"The case ended: {reason}")
