"""Reallocation: a decided case given a new lead practitioner and/or team, with a reason.

Recorded like every change of a case (a locked, current copy; the next version with its
author and reason; a transition record "reallocate" from its state to the same state), so
the chronology shows who moved it and why. The clocks follow in the same transaction
(notifications.clocks.follow_case, through the runner): every running deadline of the case
goes to the new lead and team, so the old lead no longer sees them in My deadlines. The old
and the new lead are told, one message each.

Who may: the managers of the case's allocated team, and the authority's duty managers (the
last stop of every escalation: "please act or reallocate")."""

from django.db import transaction

from accounts.models import TeamMembership
from accounts.roles import Roles
from casework.errors import Incomplete, NotAllowed
from casework.runner import locked, record_transition, save_version
from notifications.services import notify_people
from referrals.choices import ReferralState
from referrals.models import SchoolReferral

REALLOCATABLE = (ReferralState.DECIDED, ReferralState.IN_PROGRESS, ReferralState.REVIEW)


def may_reallocate(user, referral) -> bool:
    roles = Roles.for_user(user)
    return referral.state in REALLOCATABLE and (
        referral.allocated_team_id in roles.managed_team_ids
        or referral.school.authority_id in roles.duty_manager_authority_ids
    )


def case_reallocate(*, referral, by, team, lead, reason, expected_version=None):
    """Give `referral` the lead `lead` (a member of `team`, or None: the team's managers
    name one) and the team `team`. Returns the current referral."""
    reason = (reason or "").strip()
    problems = {}
    if team is None:
        problems["team"] = ["Select the team"]
    if not reason:
        problems["reason"] = ["Enter why the case is being reallocated"]
    if problems:
        raise Incomplete("Check the answers marked below", problems)
    with transaction.atomic():
        current = locked(referral, expected_version, "referral", related=("school",))
        if not may_reallocate(by, current):
            raise NotAllowed("Only the team's managers or the duty manager can reallocate it.")
        if team.authority_id != current.school.authority_id or team.is_front_door:
            raise NotAllowed("Choose a team of this authority.")
        if lead is not None and not TeamMembership.objects.filter(team=team, user=lead).exists():
            raise Incomplete(
                "Choose a lead practitioner from the team",
                {"lead": ["Choose a lead practitioner from the team"]},
            )
        lead_id = lead.pk if lead else None
        if team.pk == current.allocated_team_id and lead_id == current.lead_practitioner_id:
            raise Incomplete(
                "Choose a different lead or team",
                {"lead": ["Choose a different lead practitioner or team"]},
            )
        old_lead_id = current.lead_practitioner_id
        current.allocated_team = team
        current.lead_practitioner = lead
        save_version(current, by=by, reason=f"reallocated: {reason}", noun="referral")
        record_transition(
            case=current,
            subject=current,
            transition="reallocate",
            from_state=current.state,
            to_state=current.state,
            by=by,
            reason=reason,
        )
        url = current.get_absolute_url()
        if old_lead_id and old_lead_id != lead_id:
            notify_people(
                user_ids=[old_lead_id],
                title=f"{current.reference} has been reallocated",
                body=f"{current.reference} is now led by "
                f"{lead.full_name if lead else 'a practitioner ' + team.name + ' will name'} "
                f"({team.name}). Its deadlines have moved with it. Reason: {reason}",
                kind="reallocation",
            )
        if lead_id and lead_id != old_lead_id:
            notify_people(
                user_ids=[lead_id],
                title=f"You are now the lead practitioner for {current.reference}",
                body=f"{current.reference} has been reallocated to you ({team.name}). "
                f"Its running deadlines are now yours. Reason: {reason}",
                url=url,
                kind="reallocation",
            )
    return SchoolReferral.objects.get(pk=current.pk)
