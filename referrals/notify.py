"""Messages about a referral: an inbox message for each person, emailed from the outbox.

Each transition that ends a case, hands it over or makes it wait has one function here that
decides who is told and what they are told; its service calls it in the transition's
transaction, so no page decides and nothing is told of a change that rolled back. Each
person is told once, and a link is sent only to those who can open it (`_tell`)."""

from accounts.models import PanelMembership, PanelRole, SchoolMembership, TeamMembership, TeamRole
from notifications.services import notify_people
from referrals.choices import ReferralState


def _dsls(referral) -> list[int]:
    return list(
        SchoolMembership.objects.filter(school_id=referral.school_id).values_list(
            "user_id", flat=True
        )
    )


def _chairs(panel_id) -> list[int]:
    return list(
        PanelMembership.objects.filter(panel_id=panel_id, role=PanelRole.CHAIR).values_list(
            "user_id", flat=True
        )
    )


def _tell(user_ids, *, referral, title, body, kind, url=None, leave_out=()) -> None:
    """One message to each of these people (never to `leave_out`, who did it). Those who can
    open the case (its visible_to) get the link; anyone else gets the words without it."""
    from accounts.models import User
    from referrals.models import SchoolReferral

    wanted = [u for u in dict.fromkeys(user_ids) if u and u not in set(leave_out)]
    if not wanted:
        return
    url = url or f"/referrals/{referral.pk}/"
    with_link, without = [], []
    for user in User.objects.filter(pk__in=wanted, is_active=True):
        sees = SchoolReferral.objects.visible_to(user).filter(pk=referral.pk).exists()
        (with_link if sees else without).append(user.pk)
    if with_link:
        notify_people(user_ids=with_link, title=title, body=body, url=url, kind=kind)
    if without:
        notify_people(user_ids=without, title=title, body=body, url="", kind=kind)


def information_requested(referral, request) -> None:
    """The school's DSLs are asked for more information (in the request's transaction)."""
    notify_people(
        user_ids=_dsls(referral),
        title=f"{referral.reference}: more information requested",
        body=f"{request.requested_by} has asked for more information about referral "
        f"{referral.reference} for {referral.school.name}:\n\n{request.message}\n\n"
        "Sign in to answer. The referral waits until you do.",
        url=f"/referrals/{referral.pk}/",
        kind="information_request",
    )


def information_provided(referral, request) -> None:
    """The DSL answered a request for more information: whoever asked (the front door officer
    or the panel member) is told, with the answer; the referral is back with them."""
    back_to = (
        "the panel" if request.requested_from_state == ReferralState.AWAITING_PANEL else "screening"
    )
    _tell(
        [request.requested_by_id],
        referral=referral,
        title=f"{referral.reference}: the school has answered your request",
        body=f"{request.responded_by} answered your request for more information about "
        f"referral {referral.reference} for {referral.school.name}.\n\nYou asked:\n"
        f"{request.message}\n\nThey said:\n{request.response}\n\n"
        f"The referral is back with {back_to}.",
        kind="information_response",
        leave_out=[request.responded_by_id],
    )


def redirected(referral, *, by, reason) -> None:
    """The front door redirected the referral as an individual child referral: the school's
    DSLs are told, with the reason (the case ends here; any open risk assessment stays with
    them)."""
    open_risks = referral.risk_assessments.filter(state__in=["required", "completed"]).exists()
    _tell(
        _dsls(referral),
        referral=referral,
        title=f"{referral.reference}: redirected as an individual child referral",
        body=f"{by} at the front door decided that referral {referral.reference} for "
        f"{referral.school.name} should be an individual child referral, not a context "
        f"referral. The reason:\n\n{reason}\n\n"
        "Make the individual referral through your local authority's children's services "
        "front door if you have not already."
        + (
            "\n\nThe risk assessment stays open and with you: keep reviewing it until it can close."
            if open_risks
            else ""
        ),
        kind="ending",
        leave_out=[by.pk],
    )


def withdrawn(referral, *, by, reason, from_state, asked_by_panel, asker_id=None) -> None:
    """The school withdrew the referral. When it was waiting for the panel (or the panel had
    asked the school for more), the panel's chairs are told: it leaves their agenda. When the
    front door was screening it, the officer screening it is told. Whoever asked the school
    a question it had not answered yet is told too (once, if also one of those)."""
    with_panel = referral.panel_id and (
        from_state == ReferralState.AWAITING_PANEL
        or (from_state == ReferralState.MORE_INFORMATION_REQUESTED and asked_by_panel)
    )
    if with_panel:
        people = [*_chairs(referral.panel_id), asker_id]
        leaves = "It is no longer waiting for the panel and has left the agenda."
    elif from_state in (ReferralState.SCREENING, ReferralState.MORE_INFORMATION_REQUESTED):
        people = [referral.screened_by_id, asker_id]
        leaves = "It has left the front door's queue."
    else:
        return
    _tell(
        people,
        referral=referral,
        title=f"{referral.reference}: withdrawn by the school",
        body=f"{by} withdrew referral {referral.reference} for {referral.school.name}. "
        f"The reason:\n\n{reason}\n\n{leaves}",
        kind="ending",
        leave_out=[by.pk],
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
