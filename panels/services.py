"""Every write of the context panel: meetings, agenda changes, threshold decisions, minutes.

A decision moves the referral through referrals.services.run_transition (the same lock,
version check, record and clocks as every other change of a referral's state)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import SchoolMembership
from accounts.roles import Roles
from casework import pathways
from casework.errors import ChangedUnderYou, Incomplete, NotAllowed
from casework.runner import record_create, record_transition_run
from casework.validators import start_date_problem
from notifications.services import notify_people
from panels.choices import Level
from panels.models import (
    AgendaChange,
    ConflictOfInterest,
    MinutesVersion,
    PanelMeeting,
    ThresholdDecision,
)
from referrals.choices import ReferralState
from referrals.models import SchoolReferral
from referrals.services import run_transition


def _is_chair(user, panel):
    return panel.pk in Roles.for_user(user).chaired_panel_ids


def _is_member(user, panel):
    return panel.pk in Roles.for_user(user).panel_ids


def _clean(instance, field_map=None):
    try:
        instance.full_clean(exclude=["state"])  # the FSM owns the state field
    except ValidationError as exc:
        problems = exc.message_dict
        if field_map:
            problems = {field_map.get(k, k): v for k, v in problems.items()}
        raise Incomplete("Check your answers", problems) from exc


# --- meetings -----------------------------------------------------------------------------


def meeting_schedule(*, panel, by, starts_at, ends_at, place):
    if not _is_chair(by, panel):
        raise NotAllowed("Only the panel's chair can schedule its meetings.")
    if ends_at <= starts_at:
        raise Incomplete(
            "The meeting must end after it starts", {"ends_at": ["The end must be after the start"]}
        )
    meeting = PanelMeeting(
        panel=panel, starts_at=starts_at, ends_at=ends_at, place=place, scheduled_by=by
    )
    _clean(meeting)
    with transaction.atomic():
        record_create(meeting, case=None, by=by, reason="meeting scheduled", transition="schedule")
        members = panel.memberships.values_list("user_id", flat=True)
        notify_people(
            user_ids=members,
            title=f"{panel.name} meets {timezone.localtime(starts_at):%a %-d %b %Y at %H:%M}",
            body=f"Place or link: {place}. The agenda and a calendar invitation are on the "
            "meeting's page.",
            url=meeting.get_absolute_url(),
            kind="meeting",
        )
    return meeting


def _chair_only(by, meeting):
    if not _is_chair(by, meeting.panel):
        raise NotAllowed("Only the panel's chair can do that.")


def _meeting_transition(meeting, *, name, by, reason="", expected_version=None, before=None):
    """A meeting's change of state, through the one runner: only the chair may; a meeting is
    about no single case, so it has a transition record and no clocks."""
    return record_transition_run(
        meeting,
        name=name,
        by=by,
        case=None,
        reason=reason,
        expected_version=expected_version,
        check=_chair_only,
        before=before,
        noun="meeting",
        related=("panel",),
    )


def meeting_open(*, meeting, by, attendees, apologies, expected_version=None):
    """The chair opens the meeting with its attendance. Nobody both attends and sends
    apologies."""
    if set(attendees) & set(apologies):
        raise Incomplete(
            "Check the attendance",
            {"apologies": ["Someone cannot both attend and send apologies"]},
        )

    def take_attendance(current):
        current.attendees.set(attendees)
        current.apologies.set(apologies)

    return _meeting_transition(
        meeting,
        name="open",
        by=by,
        reason="meeting opened",
        expected_version=expected_version,
        before=take_attendance,
    )


def meeting_draft_minutes(*, meeting, by, actions, expected_version=None):
    def write(current):
        current.actions = actions
        _clean(current)

    return _meeting_transition(
        meeting,
        name="draft_minutes",
        by=by,
        reason="minutes drafted",
        expected_version=expected_version,
        before=write,
    )


def meeting_approve_minutes(*, meeting, by, expected_version=None):
    from panels.selectors import minutes_content

    def freeze(current):
        number = current.minutes.count() + 1
        MinutesVersion.objects.create(
            meeting=current,
            number=number,
            content=minutes_content(current),
            approved_by=by,
            approved_at=timezone.now(),
            amendment_reason=current.amendment_reason,
        )
        current.amendment_reason = ""

    return _meeting_transition(
        meeting,
        name="approve_minutes",
        by=by,
        reason="minutes approved",
        expected_version=expected_version,
        before=freeze,
    )


def meeting_amend_minutes(*, meeting, by, reason, expected_version=None):
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete(
            "Enter why the approved minutes must change",
            {"reason": ["Enter why the approved minutes must change"]},
        )

    def note(current):
        current.amendment_reason = reason

    return _meeting_transition(
        meeting,
        name="amend_minutes",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=note,
    )


# --- the agenda ---------------------------------------------------------------------------


def agenda_change(*, meeting, referral, by, kind, reason):
    """The chair marks an item urgent (top of the agenda) or defers it to the next meeting."""
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete("Enter a reason", {"reason": ["Enter a reason"]})
    if not _is_chair(by, meeting.panel):
        raise NotAllowed("Only the panel's chair can change the agenda.")
    if referral.panel_id != meeting.panel_id:
        raise NotAllowed("That referral is not for this panel.")
    if meeting.state not in ("scheduled", "in_session"):
        raise NotAllowed("The agenda of a meeting that has ended cannot change.")
    change, created = AgendaChange.objects.get_or_create(
        meeting=meeting, referral=referral, kind=kind, defaults={"reason": reason, "by": by}
    )
    if not created:
        raise NotAllowed("That change is already on the agenda.")
    return change


def conflict_declare(*, user, school, reason):
    if not Roles.for_user(user).is_panel_member:
        raise NotAllowed("Only panel members declare conflicts of interest.")
    conflict = ConflictOfInterest(user=user, school=school, reason=(reason or "").strip())
    _clean(conflict)
    conflict._history_user = user
    conflict.save()
    return conflict


# --- threshold decisions ------------------------------------------------------------------


def _check_decision(
    *, referral, by, level, pathway, rationale, lead_practitioner, lead_team, start_by
):
    problems = {}
    if not (rationale or "").strip():
        problems["rationale"] = ["Enter the rationale for the decision"]
    if level not in Level.values:
        problems["level"] = ["Select the threshold level"]
    elif not pathways.for_level(level):
        problems["level"] = [
            f"No pathway for {Level(level).label.lower()} is available in this service yet: "
            "contact the local authority's front door to arrange the response"
        ]
    elif pathway not in [p.key for p in pathways.for_level(level)]:
        fits = " or ".join(p.label for p in pathways.for_level(level))
        problems["pathway"] = [
            f"That pathway does not fit {Level(level).label.lower()}: choose {fits}"
        ]
    if level != Level.BELOW_THRESHOLD and level in Level.values:
        if lead_practitioner is None and lead_team is None:
            problems["lead_practitioner"] = ["Name the lead practitioner or team"]
        if start_by is None:
            problems["start_by"] = ["Enter the date by which the work starts"]
        elif start_date_problem(start_by):
            problems["start_by"] = [start_date_problem(start_by)]
    if problems:
        raise Incomplete("The decision cannot be recorded yet", problems)
    if not (referral.panel_id and _is_member(by, referral.panel)):
        raise NotAllowed("Only members of this referral's context panel can decide it.")
    if ConflictOfInterest.objects.filter(user=by, school_id=referral.school_id).exists():
        raise NotAllowed(
            "You declared a conflict of interest for this school, so you take no part in "
            "its decision. Another member must record it."
        )
    if (
        lead_practitioner is not None
        and lead_team is not None
        and not (lead_team.memberships.filter(user=lead_practitioner).exists())
    ):
        raise Incomplete(
            "The lead is not in that team",
            {"lead_practitioner": ["Choose a lead practitioner from the team"]},
        )


def decision_record(
    *,
    referral,
    by,
    level,
    pathway,
    rationale,
    advice="",
    indicators=(),
    lead_practitioner=None,
    lead_team=None,
    start_by=None,
    meeting=None,
    expected_version=None,
    supersedes=None,
    change_reason="",
):
    """Record a threshold decision and move the referral on: below threshold closes it with
    the advice; any other level leaves it decided and allocated to the named lead.
    With `supersedes`, this is a step up or down from an earlier decision."""
    _check_decision(
        referral=referral,
        by=by,
        level=level,
        pathway=pathway,
        rationale=rationale,
        lead_practitioner=lead_practitioner,
        lead_team=lead_team,
        start_by=start_by,
    )
    if supersedes is not None and not (change_reason or "").strip():
        raise Incomplete(
            "Enter why the decision is changing",
            {"change_reason": ["Enter why the decision is stepping up or down"]},
        )
    if meeting is not None and (
        meeting.panel_id != referral.panel_id or meeting.state != "in_session"
    ):
        raise NotAllowed("Decisions are recorded at a meeting of this panel that is in session.")
    below = level == Level.BELOW_THRESHOLD
    if supersedes is None:
        name = "decide_below_threshold" if below else "decide"
    else:
        name = "step_down_below_threshold" if below else "step_up_or_down"
    made = {}

    def allocate(current):
        if (
            supersedes is not None
            and current.decisions.filter(superseded_by__isnull=True)
            .exclude(pk=supersedes.pk)
            .exists()
        ):
            raise ChangedUnderYou("A newer decision has been recorded. Reload the page.")
        current.lead_practitioner = None if below else lead_practitioner
        current.allocated_team = None if below else (lead_team or current.allocated_team)

    def write_decision(current):
        decision = ThresholdDecision(
            referral=current,
            meeting=meeting,
            level=level,
            pathway=pathway,
            rationale=rationale.strip(),
            advice=(advice or "").strip(),
            lead_practitioner=None if below else lead_practitioner,
            lead_team=None if below else lead_team,
            start_by=None if below else start_by,
            decided_by=by,
            decided_at=timezone.now(),
            supersedes=supersedes,
            change_reason=(change_reason or "").strip(),
        )
        _clean(decision)
        decision.save()
        decision.indicators.set(indicators)
        if meeting is not None:
            conflicted = ConflictOfInterest.objects.filter(
                school_id=current.school_id, user__in=meeting.attendees.all()
            ).values_list("user_id", flat=True)
            decision.conflicts_excluded.set(conflicted)
        made["decision"] = decision

    with transaction.atomic():
        current = run_transition(
            referral,
            name=name,
            action="decide",
            by=by,
            reason=(change_reason or rationale).strip(),
            expected_version=expected_version,
            before=allocate,
            after=write_decision,
        )
        # The chosen pathway's app creates its work item (and so starts its clock) in this
        # transaction and the others stop theirs; panels need not know the apps.
        pathways.decided(referral=current, decision=made["decision"], by=by)
        if below:  # the case ends: whatever is still open stops with it
            current = run_transition(
                current,
                name="close_with_advice",
                action="decide",
                by=by,
                reason="Below threshold: the school manages internally with the panel's advice.",
            )
        _send_outcome(current, made["decision"])
    return made["decision"]


def _send_outcome(referral, decision):
    dsls = SchoolMembership.objects.filter(school_id=referral.school_id).values_list(
        "user_id", flat=True
    )
    notify_people(
        user_ids=dsls,
        title=f"Panel outcome for {referral.reference}: {decision.get_level_display()}",
        body=f"The context panel has decided: {decision.get_level_display()}, "
        f"{decision.get_pathway_display()}. Read the outcome letter for the reasons, the "
        "advice and who will contact you.",
        url=f"/referrals/{referral.pk}/outcome/",
        kind="outcome",
    )


def decision_step(*, previous, by, change_reason, **decision):
    """Step up or step down: a new decision that supersedes `previous` (both kept)."""
    referral = SchoolReferral.objects.get(pk=previous.referral_id)
    if referral.state not in (ReferralState.DECIDED, ReferralState.IN_PROGRESS):
        raise NotAllowed("Only a decided referral that is still open can step up or down.")
    if hasattr(previous, "superseded_by"):
        raise ChangedUnderYou("That decision has already been superseded. Reload the page.")
    return decision_record(
        referral=referral, by=by, supersedes=previous, change_reason=change_reason, **decision
    )
