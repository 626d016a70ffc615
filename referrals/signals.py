"""Signals other apps listen to, so referrals and panels need not know the pathway apps
(DESIGN: dependencies point one way)."""

from django.dispatch import Signal

# Sent by panels.services inside the decision's transaction, once the decision is saved and
# the referral decided and allocated. Arguments: referral, decision, by. A pathway app
# (school_assessments, self_assessments) creates its work item here, in the same
# transaction, so its clock starts with the decision or not at all.
pathway_decided = Signal()
