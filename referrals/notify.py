"""Messages about a referral: an inbox message for each person, emailed from the outbox."""

from accounts.models import SchoolMembership
from notifications.services import notify_people


def information_requested(referral, request) -> None:
    """The school's DSLs are asked for more information (in the request's transaction)."""
    dsls = SchoolMembership.objects.filter(school_id=referral.school_id).values_list(
        "user_id", flat=True
    )
    notify_people(
        user_ids=dsls,
        title=f"{referral.reference}: more information requested",
        body=f"{request.requested_by} has asked for more information about referral "
        f"{referral.reference} for {referral.school.name}:\n\n{request.message}\n\n"
        "Sign in to answer. The referral waits until you do.",
        url=f"/referrals/{referral.pk}/",
        kind="information_request",
    )
