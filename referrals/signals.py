"""Signals other apps listen to, so referrals and panels need not know the pathway apps
(DESIGN: dependencies point one way)."""

from django.dispatch import Signal

# Sent by panels.services inside the decision's transaction, once the decision is saved and
# the referral decided and allocated. Arguments: referral, decision, by. A pathway app
# (school_assessments, self_assessments) creates its work item here, in the same
# transaction, so its clock starts with the decision or not at all.
pathway_decided = Signal()

# Sent by referrals.services.run_transition inside the transaction in which the case reaches
# an end state (closed, withdrawn, redirected), before its remaining clocks are cancelled.
# Arguments: referral, by, reason. Every app that keeps open records of a case stops them
# here, with the reason, so a closed case has no open work anywhere.
case_ended = Signal()


def pathway_change_reason(decision) -> str:
    """Why work under way stops when a new decision takes the case to another pathway."""
    return (
        f"The panel's new decision changes the pathway to {decision.get_pathway_display()}: "
        f"{decision.change_reason or decision.rationale}"
    )
