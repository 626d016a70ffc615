"""Messages about a referral: an inbox message for each person, emailed from the outbox."""

from accounts.models import SchoolMembership, TeamMembership, TeamRole
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


def work_allocated(referral, lead, *, what: str, body: str, url: str) -> None:
    """A pathway's work item is opened for the case (in the decision's transaction): its lead
    is told; a decision that named only a team tells that team's managers (or, with none, its
    members), who may open it and name a lead, so the hand-off always reaches someone."""
    if lead is not None:
        user_ids, title = [lead.pk], f"You lead {what}"
    else:
        team = TeamMembership.objects.filter(team_id=referral.allocated_team_id)
        managers = list(team.filter(role=TeamRole.MANAGER).values_list("user_id", flat=True))
        user_ids = managers or list(team.values_list("user_id", flat=True))
        title = f"Your team has {what}: name its lead"
    notify_people(user_ids=user_ids, title=title, body=body, url=url, kind="assignment")
