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
    MeetingChange,
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


LATEST_YEAR = 2100  # nothing is scheduled after this (the working-day calendar ends there)


def _check_when(starts_at, ends_at, place, now=None):
    """A meeting is in the future, ends after it starts, on the same day, and has a place.
    Each problem names the form field it belongs to (the date, a time, the place)."""
    now = now or timezone.now()
    problems = {}
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    today = timezone.localdate(now)
    if start.year > LATEST_YEAR:
        problems["starts_on"] = [f"The date of the meeting must be before {LATEST_YEAR + 1}"]
    elif start.date() < today:
        problems["starts_on"] = [
            f"The date of the meeting must be today or in the future: today is {today:%-d %B %Y}"
        ]
    elif starts_at <= now:
        problems["start_time"] = [
            f"The start time must be later than now ({timezone.localtime(now):%H:%M})"
        ]
    if ends_at <= starts_at:
        problems["end_time"] = ["The end time must be after the start time"]
    elif end.date() != start.date():
        problems["end_time"] = ["The meeting must end on the day it starts"]
    if not (place or "").strip():
        problems["place"] = ["Enter the place or the link to the meeting"]
    if problems:
        raise Incomplete("Check when and where the meeting is", problems)


def _when(meeting):
    start = timezone.localtime(meeting.starts_at)
    return f"{start:%a %-d %b %Y at %H:%M} to {timezone.localtime(meeting.ends_at):%H:%M}"


def meeting_invitees(meeting):
    """Who a meeting is sent to: the members (and chairs) of its panel, each once."""
    return sorted(set(meeting.panel.memberships.values_list("user_id", flat=True)))


def meeting_schedule(*, panel, by, starts_at, ends_at, place):
    """The chair schedules a meeting, in the future; the panel's members are sent it."""
    if not _is_chair(by, panel):
        raise NotAllowed("Only the panel's chair can schedule its meetings.")
    _check_when(starts_at, ends_at, place)
    meeting = PanelMeeting(
        panel=panel, starts_at=starts_at, ends_at=ends_at, place=place.strip(), scheduled_by=by
    )
    _clean(meeting, {"starts_at": "starts_on", "ends_at": "end_time"})
    with transaction.atomic():
        record_create(meeting, case=None, by=by, reason="meeting scheduled", transition="schedule")
        notify_people(
            user_ids=meeting_invitees(meeting),
            title=f"{panel.name} meets {timezone.localtime(starts_at):%a %-d %b %Y at %H:%M}",
            body=f"Place or link: {meeting.place}. The agenda and a calendar invitation are on "
            "the meeting's page.",
            url=meeting.get_absolute_url(),
            kind="meeting",
        )
    return meeting


def _chair_only(by, meeting):
    if not _is_chair(by, meeting.panel):
        raise NotAllowed("Only the panel's chair can do that.")


def _meeting_transition(
    meeting, *, name, by, reason="", expected_version=None, before=None, after=None
):
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
        after=after,
        noun="meeting",
        related=("panel",),
    )


def meeting_open_refusal(meeting) -> str:
    """Why a scheduled meeting cannot be opened now, in words, or "" if it can: a meeting
    opens on its own day only (its date in the authority's time zone), so what it decides
    is dated the day the letters and minutes say it met."""
    if meeting.state != "scheduled":
        return ""  # the runner refuses, with the state in its words
    today, day = timezone.localdate(), meeting.local_day()
    when = f"{day:%A %-d %B %Y}"
    if day > today:
        return (
            f"This meeting is on {when}: it can be opened on that day, not before. To hold "
            "it sooner, reschedule it."
        )
    if day < today:
        return (
            f"This meeting was on {when} and was not opened that day. Reschedule it or "
            "cancel it, with a reason."
        )
    return ""


def meeting_open(*, meeting, by, attendees, apologies, expected_version=None):
    """The chair opens the meeting with its attendance. Nobody both attends and sends
    apologies."""
    if set(attendees) & set(apologies):
        raise Incomplete(
            "Check the attendance",
            {"apologies": ["Someone cannot both attend and send apologies"]},
        )

    def take_attendance(current):
        refusal = meeting_open_refusal(current)
        if refusal:
            raise NotAllowed(refusal)
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


def meeting_reschedule(*, meeting, by, starts_at, ends_at, place, reason, expected_version=None):
    """A scheduled meeting moves (new date, times, place), with the reason; every invitee is
    told once. A transition of the meeting (scheduled to scheduled) through the runner, so it
    has its record with who and why; the change keeps when and where it was."""
    reason = (reason or "").strip()
    problems = {}
    if not reason:
        problems["reason"] = ["Enter why the meeting is moving"]
    try:
        _check_when(starts_at, ends_at, place)
    except Incomplete as exc:
        problems.update(exc.problems)
    if problems:
        raise Incomplete("Check the new date and the reason", problems)

    def move(current):
        if (current.starts_at, current.ends_at, current.place) == (
            starts_at,
            ends_at,
            place.strip(),
        ):
            raise Incomplete(
                "Nothing has changed",
                {"starts_on": ["Enter a new date, time or place for the meeting"]},
            )
        MeetingChange.objects.create(
            meeting=current,
            kind=MeetingChange.Kind.RESCHEDULED,
            was_starts_at=current.starts_at,
            was_ends_at=current.ends_at,
            was_place=current.place,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            reason=reason,
            by=by,
        )
        current.starts_at, current.ends_at, current.place = starts_at, ends_at, place.strip()
        _clean(current, {"starts_at": "starts_on", "ends_at": "end_time"})

    def tell(current):
        notify_people(
            user_ids=meeting_invitees(current),
            title=f"{current.panel.name}'s meeting has moved to "
            f"{timezone.localtime(current.starts_at):%a %-d %b %Y at %H:%M}",
            body=f"It is now {_when(current)}, at {current.place}. Why: {reason} "
            "The meeting's page has the new calendar invitation.",
            url=current.get_absolute_url(),
            kind="meeting",
        )

    return _meeting_transition(
        meeting,
        name="reschedule",
        by=by,
        reason=f"Rescheduled: {reason}",
        expected_version=expected_version,
        before=move,
        after=tell,
    )


def meeting_cancel(*, meeting, by, reason, expected_version=None):
    """A scheduled meeting is cancelled, with the reason; every invitee is told once. Its
    agenda is the referrals still awaiting the panel: they keep waiting and come to the
    panel's next meeting, and items the chair marked urgent for this one stay urgent there
    (or, with no meeting scheduled, wait on the panel's page until one is)."""
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete(
            "Enter why the meeting is cancelled", {"reason": ["Enter why the meeting is cancelled"]}
        )

    def record(current):
        current.cancel_reason = reason
        MeetingChange.objects.create(
            meeting=current,
            kind=MeetingChange.Kind.CANCELLED,
            was_starts_at=current.starts_at,
            was_ends_at=current.ends_at,
            was_place=current.place,
            reason=reason,
            by=by,
        )

    def carry_over_and_tell(current):
        following = next_meeting(current.panel, after=current)
        if following is not None:
            for change in current.agenda_changes.filter(kind=AgendaChange.Kind.URGENT):
                AgendaChange.objects.get_or_create(
                    meeting=following,
                    referral_id=change.referral_id,
                    kind=AgendaChange.Kind.URGENT,
                    defaults={
                        "reason": f"Carried over from the cancelled meeting of "
                        f"{timezone.localtime(current.starts_at):%-d %B %Y}: {change.reason}"[
                            :2000
                        ],
                        "by": by,
                    },
                )
        after = (
            f" Referrals waiting for the panel go to its next meeting, {_when(following)}."
            if following
            else " Referrals waiting for the panel keep waiting until the next meeting is "
            "scheduled."
        )
        notify_people(
            user_ids=meeting_invitees(current),
            title=f"{current.panel.name}'s meeting of "
            f"{timezone.localtime(current.starts_at):%a %-d %b %Y} is cancelled",
            body=f"Why: {reason}{after}",
            url=current.get_absolute_url(),
            kind="meeting",
        )

    return _meeting_transition(
        meeting,
        name="cancel",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=record,
        after=carry_over_and_tell,
    )


def next_meeting(panel, *, after=None, now=None):
    """The panel's next scheduled meeting (not yet ended), other than `after`."""
    query = PanelMeeting.objects.filter(
        panel=panel, state="scheduled", ends_at__gte=now or timezone.now()
    )
    if after is not None:
        query = query.exclude(pk=after.pk)
    return query.order_by("starts_at", "pk").first()


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


CONFLICTED = (
    "You declared a conflict of interest for this school, so you take no part in its "
    "decision. Another member must record it."
)


def decision_refusal(*, by, referral, meeting=None) -> str:
    """Why `by` may not record a decision on `referral` (at `meeting`), in words, or "" if
    they may: asked before the form is shown, and again when it is sent."""
    if not (referral.panel_id and _is_member(by, referral.panel)):
        return "Only members of this referral's context panel can decide it."
    if ConflictOfInterest.objects.filter(user=by, school_id=referral.school_id).exists():
        return CONFLICTED
    if meeting is not None and (
        meeting.panel_id != referral.panel_id or meeting.state != "in_session"
    ):
        return "Decisions are recorded at a meeting of this panel that is in session."
    if meeting is not None and referral.state != ReferralState.AWAITING_PANEL:
        return f"{referral.reference} is not awaiting the panel's decision."
    return ""


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
    refusal = decision_refusal(by=by, referral=referral)
    if refusal:
        raise NotAllowed(refusal)
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
