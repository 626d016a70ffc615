"""Messages about a referral, queued after the transaction commits."""

from django.db import transaction

from accounts.models import SchoolMembership
from referrals.tasks import email_people


def _after_commit(user_ids, subject, body):
    user_ids = list(user_ids)
    if user_ids:
        transaction.on_commit(lambda: email_people.delay(user_ids, subject, body))


def information_requested(referral, request):
    dsls = SchoolMembership.objects.filter(school_id=referral.school_id).values_list(
        "user_id", flat=True
    )
    _after_commit(
        dsls,
        f"{referral.reference}: more information requested",
        f"{request.requested_by} has asked for more information about referral "
        f"{referral.reference} for {referral.school.name}:\n\n{request.message}\n\n"
        "Sign in to answer. The referral waits until you do.",
    )
