"""The pathway's start: when a context panel decides "school supported to complete a Beyond
Referrals assessment", the school's self-assessment starts (referrals.signals.pathway_decided
is sent inside the decision's transaction, so the audit and its clock start with the decision
or not at all). The handler only calls the service."""

from self_assessments import services

BEYOND_REFERRALS = "beyond_referrals"


def start_self_assessment(sender, *, referral, decision, by, **kwargs):
    if decision.pathway != BEYOND_REFERRALS:
        # A step up or down to another pathway stops an audit still under way.
        services.self_assessment_stop_for_pathway(referral=referral, decision=decision, by=by)
        return
    services.self_assessment_start_for_pathway(referral=referral, decision=decision, by=by)
