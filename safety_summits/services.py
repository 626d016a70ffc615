"""Every write to a School Partnership Meeting: keyword-only functions, each one transaction
through casework.runner (row lock, version check, permission rule, FSM transition or edit,
history, transition record and clocks). The meeting-held clock (15 working days) runs while
the meeting is planned or scheduled; the safety-plan clock (5 working days) while it is
held, met when the plan is distributed."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create
from notifications.services import notify_people
from referrals.notify import work_allocated
from referrals.services import case_work_start
from safety_summits import permissions
from safety_summits.choices import BEFORE_STATES, Format, MeetingState
from safety_summits.models import DateChange, SchoolPartnershipMeeting
from safety_summits.write import (
    check_runner,
    clean,
    edit,
    require_reason,
    stop_open,
    transition,
)

M = MeetingState
PRE_MEETING_FIELDS = ["pre_trends", "pre_peer_groups", "pre_places", "pre_tried", "pre_strengths"]


def _school_dsls(referral):
    from accounts.models import SchoolMembership

    return list(
        SchoolMembership.objects.filter(school_id=referral.school_id).values_list(
            "user_id", flat=True
        )
    )


def _invitees(meeting):
    """The people told about the meeting's date: the lead and the school's DSLs."""
    people = set(_school_dsls(meeting.referral))
    if meeting.lead_id:
        people.add(meeting.lead_id)
    return sorted(people)


def _when(meeting):
    start = timezone.localtime(meeting.starts_at)
    where = "online" if meeting.format == Format.ONLINE else "at the school"
    return f"{start:%A %-d %B %Y at %H:%M}, {where} ({meeting.place})"


# --- opened and stopped by the panel -----------------------------------------------------


def meeting_open(*, referral, lead, by, reason: str):
    """Open a meeting for a case the panel has decided on, in the decision's transaction:
    the meeting-held clock starts and the lead is told. A case with an open meeting keeps
    it (returns None)."""
    if not permissions.may_open(by, referral):
        raise NotAllowed("Only a member of the case's context panel can open its meeting.")
    with transaction.atomic():
        if SchoolPartnershipMeeting.objects.filter(referral=referral).open().exists():
            return None
        meeting = record_create(
            SchoolPartnershipMeeting(referral=referral, lead=lead, opened_by=by),
            case=referral,
            by=by,
            reason=reason,
            transition="open",
        )
        work_allocated(
            referral,
            lead,
            what=f"the School Partnership Meeting for {referral.school.name}",
            body=f"The context panel decided on {referral}: a School Partnership Meeting with "
            "the school. Arrange it with the designated safeguarding lead and schedule it on "
            "the meeting's page.",
            url=meeting.get_absolute_url(),
        )
    return meeting


def meeting_stop(*, referral, by, reason: str) -> None:
    """The pathway changed or the case ended: an open meeting stops with the reason (its
    clocks cancelled). Called in the decision's or the ending's transaction."""
    stop_open(
        SchoolPartnershipMeeting.objects.filter(referral=referral).open(),
        referral=referral,
        by=by,
        reason=reason,
    )


# --- arranging it ------------------------------------------------------------------------


def _check_when(starts_at, ends_at, fmt, place):
    problems = {}
    if starts_at is None:
        problems["starts_on"] = ["Enter the date and start time of the meeting"]
    elif starts_at < timezone.now():
        problems["starts_on"] = ["The meeting must start in the future"]
    if ends_at is None:
        problems["end_time"] = ["Enter the end time"]
    elif starts_at is not None and ends_at <= starts_at:
        problems["end_time"] = ["The meeting must end after it starts"]
    if fmt not in Format.values:
        problems["format"] = ["Select whether the meeting is online or at the school"]
    if not (place or "").strip():
        problems["place"] = ["Enter the room at the school, or the link to join online"]
    if problems:
        raise Incomplete("The meeting cannot be scheduled yet", problems)


def _set_when(current, starts_at, ends_at, fmt, place, agenda=None):
    current.starts_at, current.ends_at = starts_at, ends_at
    current.format, current.place = fmt, place.strip()
    if agenda is not None:
        current.agenda = agenda.strip()
    clean(current)


def meeting_schedule(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    format: str,
    place: str,
    agenda: str | None = None,
    expected_version: int | None = None,
) -> SchoolPartnershipMeeting:
    """planned -> scheduled: the date, online or at the school, and where, and the agenda
    (None keeps the one written before). The case is now in progress; the school's DSLs are
    asked for the pre-meeting document."""
    _check_when(starts_at, ends_at, format, place)

    def after(current):
        case_work_start(
            referral=current.referral, by=by, reason="The School Partnership Meeting is scheduled"
        )
        notify_people(
            user_ids=_invitees(current),
            title=f"School Partnership Meeting for {current.referral.school.name}: "
            f"{timezone.localtime(current.starts_at):%-d %B %Y}",
            body=f"The meeting is on {_when(current)}. Designated safeguarding leads: "
            "complete the pre-meeting document before it (trends and themes, peer groups by "
            "identifiers or initials only, places and online spaces, what the school has "
            "tried, strengths)."
            + (" The agenda is on the meeting's page." if current.agenda else ""),
            url=current.get_absolute_url(),
            kind="meeting",
        )

    return transition(
        meeting,
        name="schedule",
        by=by,
        reason="Meeting scheduled",
        expected_version=expected_version,
        before=lambda current: _set_when(current, starts_at, ends_at, format, place, agenda),
        after=after,
    )


def meeting_reschedule(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    format: str,
    place: str,
    reason: str,
    agenda: str | None = None,
    expected_version: int | None = None,
) -> SchoolPartnershipMeeting:
    """A scheduled meeting moves, with the reason (and its agenda, unless None); the invitees
    are told. An edit with its own record (DateChange), not a transition: the meeting-held
    clock keeps running."""
    reason = require_reason(reason, message="Enter why the meeting is rescheduled")
    _check_when(starts_at, ends_at, format, place)

    def check(by, current):
        check_runner(by, current)
        if current.state != M.SCHEDULED:
            raise NotAllowed(f"A meeting that is “{current.get_state_display()}” cannot move.")

    def change(current):
        DateChange.objects.create(
            meeting=current,
            was_starts_at=current.starts_at,
            starts_at=starts_at,
            reason=reason,
            by=by,
        )
        _set_when(current, starts_at, ends_at, format, place, agenda)

    with transaction.atomic():
        current = edit(
            meeting,
            by=by,
            change=change,
            reason=f"Rescheduled: {reason}",
            expected_version=expected_version,
            check=check,
        )
        notify_people(
            user_ids=_invitees(current),
            title=f"The School Partnership Meeting for {current.referral.school.name} has moved",
            body=f"It is now on {_when(current)}. Why: {reason}",
            url=current.get_absolute_url(),
            kind="meeting",
        )
    return current


def agenda_save(
    *, meeting: SchoolPartnershipMeeting, by, agenda: str, expected_version: int | None = None
) -> SchoolPartnershipMeeting:
    """The meeting's agenda, before it is held, on its own (no date moves). Once the meeting
    is scheduled the invitees are told it changed."""
    agenda = (agenda or "").strip()

    def check(by, current):
        check_runner(by, current)
        if current.state not in BEFORE_STATES:
            raise NotAllowed(
                f"A meeting that is “{current.get_state_display()}” cannot have its agenda changed."
            )

    def write(current):
        current.agenda = agenda
        clean(current)

    with transaction.atomic():
        current = edit(
            meeting,
            by=by,
            change=write,
            reason="agenda changed",
            expected_version=expected_version,
            check=check,
        )
        if current.state == M.SCHEDULED:
            notify_people(
                user_ids=_invitees(current),
                title="The agenda of the School Partnership Meeting for "
                f"{current.referral.school.name} has changed",
                body=f"The meeting is on {_when(current)}. Read the agenda on the meeting's page.",
                url=current.get_absolute_url(),
                kind="meeting",
            )
    return current


def meeting_cancel(
    *, meeting: SchoolPartnershipMeeting, by, reason: str, expected_version: int | None = None
) -> SchoolPartnershipMeeting:
    """planned or scheduled -> cancelled, with the reason; its clock is cancelled and the
    invitees are told."""
    reason = require_reason(reason, message="Enter why the meeting is cancelled")

    def record(current):
        current.end_reason = reason

    def tell(current):
        notify_people(
            user_ids=_invitees(current),
            title=f"The School Partnership Meeting for {current.referral.school.name} is cancelled",
            body=f"Why: {reason}",
            url=current.get_absolute_url(),
            kind="meeting",
        )

    return transition(
        meeting,
        name="cancel",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=record,
        after=tell,
    )


# --- the school's pre-meeting document ---------------------------------------------------


def pre_meeting_save(
    *,
    meeting: SchoolPartnershipMeeting,
    by,
    data: dict[str, str],
    complete: bool = False,
    expected_version: int | None = None,
):
    """A DSL of the school saves the pre-meeting document; `complete` marks it done (all of
    it answered) and tells the lead."""
    unknown = set(data) - set(PRE_MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Not part of the pre-meeting document: {sorted(unknown)}")

    def check(by, current):
        if not permissions.may_prepare(by, current):
            raise NotAllowed(
                "Only the school's designated safeguarding leads write the pre-meeting document."
            )
        if current.state not in BEFORE_STATES:
            raise NotAllowed("The meeting has taken place: the pre-meeting document is closed.")

    def write(current):
        for name, value in data.items():
            setattr(current, name, (value or "").strip())
        clean(current)
        if complete:
            missing = {
                name: [f"Enter {current._meta.get_field(name).verbose_name}"]
                for name in PRE_MEETING_FIELDS
                if name not in ("pre_peer_groups", "pre_places") and not getattr(current, name)
            }
            if not (current.pre_peer_groups or current.pre_places):
                missing["pre_peer_groups"] = ["Name at least one peer group, or a place"]
            if missing:
                raise Incomplete("The pre-meeting document is not complete yet", missing)
            current.pre_completed_at = timezone.now()
            current.pre_completed_by = by

    with transaction.atomic():
        current = edit(
            meeting,
            by=by,
            change=write,
            reason="pre-meeting document " + ("completed" if complete else "saved"),
            expected_version=expected_version,
            check=check,
        )
        if complete and current.lead_id:
            notify_people(
                user_ids=[current.lead_id],
                title=f"{current.referral.school.name} has completed its pre-meeting document",
                body="Read it on the meeting's page before the School Partnership Meeting.",
                url=current.get_absolute_url(),
                kind="meeting",
            )
    return current
