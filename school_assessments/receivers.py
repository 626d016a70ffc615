"""Listening to the rest of the case: the panel's decision opens a School Assessment."""

from school_assessments import services

PATHWAY = "school_assessment"


def open_assessment_on_decision(sender, *, referral, decision, by, **kwargs):
    """pathway_decided (sent by panels.services inside the decision's transaction): a
    decision for the School Assessment pathway opens one, led by the decision's lead (or
    the case's), unless the case already has an open assessment (a step up or down that
    keeps the pathway keeps the assessment under way)."""
    if decision.pathway != PATHWAY:
        # A step up or down to another pathway stops an assessment still under way.
        services.assessment_stop_for_pathway(referral=referral, decision=decision, by=by)
        return
    lead = decision.lead_practitioner or referral.lead_practitioner
    services.assessment_open(
        referral=referral,
        lead=lead,
        by=by,
        reason=f"Panel decision: {decision.get_level_display()}, {decision.get_pathway_display()}",
    )
