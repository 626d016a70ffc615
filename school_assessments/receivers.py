"""Listening to the rest of the case: the panel's decision opens a School Assessment; a
decision for another pathway, or the case ending, stops one under way."""

from referrals.signals import pathway_change_reason
from school_assessments import services

PATHWAY = "school_assessment"


def open_assessment_on_decision(sender, *, referral, decision, by, **kwargs):
    """pathway_decided (sent by panels.services inside the decision's transaction): a
    decision for the School Assessment pathway opens one, led by the decision's lead (or
    the case's), unless the case already has an open assessment (a step up or down that
    keeps the pathway keeps the assessment under way)."""
    if decision.pathway != PATHWAY:
        services.assessment_stop(referral=referral, by=by, reason=pathway_change_reason(decision))
        return
    lead = decision.lead_practitioner or referral.lead_practitioner
    services.assessment_open(
        referral=referral,
        lead=lead,
        by=by,
        reason=f"Panel decision: {decision.get_level_display()}, {decision.get_pathway_display()}",
    )


def stop_assessment_when_the_case_ends(sender, *, referral, by, reason, **kwargs):
    services.assessment_stop(referral=referral, by=by, reason=f"The case ended: {reason}")
