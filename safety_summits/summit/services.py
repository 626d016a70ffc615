"""Every write to a Student Safety Summit before the day: opened and stopped by the panel's
decision, its planning, its invitations, scheduled, rescheduled or cancelled with a reason.
Each is one transaction through casework.runner (via safety_summits.write). The
summit-held clock (30 working days by default) runs while it is planned or scheduled."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import School, SchoolMembership, TeamMembership
from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create
from notifications.services import notify_people
from referrals.notify import work_allocated
from referrals.services import case_work_start
from safety_summits.summit import permissions
from safety_summits.summit.choices import BEFORE_STATES, Activity, Agency, SummitState
from safety_summits.summit.models import SafetySummit, SummitDateChange, SummitInvitee
from safety_summits.write import check_runner, clean, edit, require_reason, stop_open, transition

S = SummitState


def school_ids(summit) -> set[int]:
    return {s.pk for s in summit.schools.all()} | {summit.referral.school_id}


def people_who_can_open(summit) -> list:
    """People with an account who may open the summit and be told about it: the case's
    lead and allocated team, and the DSLs of the invited schools (each sees their own
    school's part). Partners without a case role are invited by name."""
    referral = summit.referral
    team = TeamMembership.objects.filter(team_id=referral.allocated_team_id).values("user_id")
    dsls = SchoolMembership.objects.filter(school_id__in=school_ids(summit)).values("user_id")
    return list(
        get_user_model()
        .objects.filter(
            Q(pk=referral.lead_practitioner_id)
            | Q(pk=summit.lead_id)
            | Q(pk__in=team)
            | Q(pk__in=dsls),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def told_about_the_date(summit) -> list[int]:
    """The lead, the invited practitioners with accounts and the invited schools' DSLs: of
    them, only those who can open the summit now (someone invited as the DSL of a school
    whose invitation was since withdrawn no longer can)."""
    wanted = set(
        SchoolMembership.objects.filter(school_id__in=school_ids(summit)).values_list(
            "user_id", flat=True
        )
    )
    wanted |= set(summit.invitees.exclude(user=None).values_list("user_id", flat=True))
    wanted.add(summit.lead_id)
    return sorted(person.pk for person in people_who_can_open(summit) if person.pk in wanted)


def when_words(summit) -> str:
    start = timezone.localtime(summit.starts_at)
    end = timezone.localtime(summit.ends_at)
    host = f", hosted by {summit.host_school.name}" if summit.host_school_id else ""
    return f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}, at {summit.place}{host}"


def _tell(summit, title, body):
    notify_people(
        user_ids=told_about_the_date(summit),
        title=title,
        body=body,
        url=summit.get_absolute_url(),
        kind="meeting",
    )


def _check_planning(by, current):
    check_runner(by, current)
    if current.state not in BEFORE_STATES:
        raise NotAllowed(
            f"A summit that is “{current.get_state_display()}” cannot change its plans."
        )


# --- opened and stopped by the panel -----------------------------------------------------


def summit_open(*, referral, lead, by, reason: str) -> SafetySummit | None:
    """Open a summit for a case the panel has decided on, in the decision's transaction:
    the case's school is invited, the summit-held clock starts and the lead is told. A case
    with an open summit keeps it (returns None)."""
    if not permissions.may_open(by, referral):
        raise NotAllowed("Only a member of the case's context panel can open its summit.")
    with transaction.atomic():
        if SafetySummit.objects.filter(referral=referral).open().exists():
            return None
        summit = record_create(
            SafetySummit(referral=referral, lead=lead, opened_by=by),
            case=referral,
            by=by,
            reason=reason,
            transition="open",
        )
        summit.schools.add(referral.school_id)
        work_allocated(
            referral,
            lead,
            what=f"the Student Safety Summit for {referral.school.name}",
            body=f"The context panel decided on {referral}: a Student Safety Summit. Plan it "
            "with the school (the date, the host, who to invite and the activities) on the "
            "summit's page.",
            url=summit.get_absolute_url(),
        )
    return summit


def summit_stop(*, referral, by, reason: str) -> None:
    stop_open(
        SafetySummit.objects.filter(referral=referral).open(),
        referral=referral,
        by=by,
        reason=reason,
    )


# --- planning ----------------------------------------------------------------------------


def plan_save(
    *,
    summit: SafetySummit,
    by,
    activities: list[str],
    young_people_invited: str,
    inclusion: str,
    expected_version: int | None = None,
) -> SafetySummit:
    """Which activities, how young people are invited and how it is made inclusive."""
    unknown = set(activities) - set(Activity.values)
    if unknown:
        raise Incomplete("Check your answers", {"activities": ["Choose activities from the list"]})

    def write(current):
        current.activities = [a for a in Activity.values if a in activities]
        current.young_people_invited = (young_people_invited or "").strip()
        current.inclusion = (inclusion or "").strip()
        clean(current)

    return edit(
        summit,
        by=by,
        change=write,
        reason="planning saved",
        expected_version=expected_version,
        check=_check_planning,
    )


def school_invite(
    *, summit: SafetySummit, by, school: School, expected_version: int | None = None
) -> SafetySummit:
    """Invite a school or college of the authority; once the date is set, its DSLs are told."""
    if school.authority_id != summit.referral.school.authority_id:
        raise Incomplete(
            "Choose a school of this authority",
            {"school": ["Choose a school or college of this local authority"]},
        )
    if school.pk in school_ids(summit):
        raise Incomplete("Already invited", {"school": [f"{school.name} is already invited"]})

    with transaction.atomic():
        current = edit(
            summit,
            by=by,
            change=lambda current: current.schools.add(school),
            reason=f"invited {school.name}",
            expected_version=expected_version,
            check=_check_planning,
        )
        if current.state == S.SCHEDULED:
            notify_people(
                user_ids=list(
                    SchoolMembership.objects.filter(school=school).values_list("user_id", flat=True)
                ),
                title=f"{school.name} is invited to a Student Safety Summit",
                body=f"It is on {when_words(current)}.",
                url=current.get_absolute_url(),
                kind="meeting",
            )
    return current


def _withdrawn(current, user_ids, *, title, without):
    """A withdrawn invitation to a scheduled summit is told, without a link: they may no
    longer open it."""
    if current.state == S.SCHEDULED and user_ids:
        notify_people(
            user_ids=user_ids,
            title=title,
            body=f"The summit on {when_words(current)} goes ahead without {without}.",
            kind="meeting",
        )


def school_uninvite(
    *, summit: SafetySummit, by, school_id: int, expected_version: int | None = None
) -> SafetySummit:
    def remove(current):
        if school_id in (current.referral.school_id, current.host_school_id):
            raise NotAllowed("The case's school and the host school stay invited.")
        recorded = [current.turnouts, current.places, current.voices, current.actions]
        if any(rows.filter(school_id=school_id).exists() for rows in recorded):
            raise NotAllowed("The summit's record counts that school: it stays invited.")
        current.schools.remove(school_id)

    with transaction.atomic():
        current = edit(
            summit,
            by=by,
            change=remove,
            reason="a school's invitation withdrawn",
            expected_version=expected_version,
            check=_check_planning,
        )
        school = School.objects.get(pk=school_id)
        dsls = SchoolMembership.objects.filter(school_id=school_id).values_list(
            "user_id", flat=True
        )
        _withdrawn(
            current,
            list(dsls),
            title=f"{school.name} is no longer invited to the Student Safety Summit",
            without=school.name,
        )
    return current


def invitee_add(
    *,
    summit: SafetySummit,
    by,
    agency: str,
    user=None,
    name: str = "",
    organisation: str = "",
    expected_version: int | None = None,
) -> SafetySummit:
    """Invite a practitioner: a person with an account who may open the summit (they are
    told when it is scheduled, moved or cancelled), or a named person the lead sends the
    calendar file to."""
    problems = {}
    if agency not in Agency.values:
        problems["agency"] = ["Select the agency"]
    if user is None and not (name or "").strip():
        problems["user"] = ["Choose a person, or name someone who does not use the service"]
    elif user is not None and user.pk not in {p.pk for p in people_who_can_open(summit)}:
        problems["user"] = ["Choose a person from the list"]
    if problems:
        raise Incomplete("The invitation cannot be added yet", problems)

    def add(current):
        if user is not None and current.invitees.filter(user=user).exists():
            raise Incomplete("Already invited", {"user": [f"{user} is already invited"]})
        row = SummitInvitee(
            summit=current,
            user=user,
            name="" if user else name.strip(),
            agency=agency,
            organisation=(organisation or "").strip(),
            added_by=by,
        )
        clean(row, exclude=["added_by"])
        row._history_user = by
        row.save()

    return edit(
        summit,
        by=by,
        change=add,
        reason="practitioner invited",
        expected_version=expected_version,
        check=_check_planning,
    )


def invitee_remove(
    *, summit: SafetySummit, by, invitee_id: int, expected_version: int | None = None
) -> SafetySummit:
    removed = []

    def remove(current):
        row = current.invitees.filter(pk=invitee_id).select_related("user").first()
        if row is None:
            raise NotAllowed("That person is not invited to this summit.")
        removed.append(row)
        row._history_user = by
        row.delete()

    with transaction.atomic():
        current = edit(
            summit,
            by=by,
            change=remove,
            reason="an invitation withdrawn",
            expected_version=expected_version,
            check=_check_planning,
        )
        row = removed[0]
        if row.user_id:
            _withdrawn(
                current,
                [row.user_id],
                title="You are no longer invited to the Student Safety Summit",
                without="you",
            )
    return current


# --- the date ----------------------------------------------------------------------------


def _check_when(summit, starts_at, ends_at, place, host_school):
    problems = {}
    if starts_at is None:
        problems["starts_on"] = ["Enter the date and start time of the summit"]
    elif starts_at < timezone.now():
        problems["starts_on"] = ["The summit must start in the future"]
    if ends_at is None:
        problems["end_time"] = ["Enter the end time"]
    elif starts_at is not None and ends_at <= starts_at:
        problems["end_time"] = ["The summit must end after it starts"]
    if not (place or "").strip():
        problems["place"] = ["Enter where the summit is held"]
    if host_school is None:
        problems["host_school"] = ["Choose the host school"]
    elif host_school.authority_id != summit.referral.school.authority_id:
        problems["host_school"] = ["Choose a school or college of this local authority"]
    if problems:
        raise Incomplete("The summit cannot be scheduled yet", problems)


def _set_when(current, starts_at, ends_at, place, host_school):
    current.starts_at, current.ends_at = starts_at, ends_at
    current.place, current.host_school = place.strip(), host_school
    clean(current)
    current.schools.add(host_school)


def summit_schedule(
    *,
    summit: SafetySummit,
    by,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    host_school: School | None,
    expected_version: int | None = None,
) -> SafetySummit:
    """planned -> scheduled: the date, the time, the place and the host school. The case is
    in progress; the invited schools' DSLs and practitioners are told."""
    _check_when(summit, starts_at, ends_at, place, host_school)

    def after(current):
        case_work_start(
            referral=current.referral, by=by, reason="The Student Safety Summit is scheduled"
        )
        _tell(
            current,
            f"Student Safety Summit: {timezone.localtime(current.starts_at):%-d %B %Y}",
            f"You are invited to a Student Safety Summit on {when_words(current)}. The "
            "summit's page has the plan and a calendar file.",
        )

    return transition(
        summit,
        name="schedule",
        by=by,
        reason="Summit scheduled",
        expected_version=expected_version,
        before=lambda current: _set_when(current, starts_at, ends_at, place, host_school),
        after=after,
    )


def summit_reschedule(
    *,
    summit: SafetySummit,
    by,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    host_school: School | None,
    reason: str,
    expected_version: int | None = None,
) -> SafetySummit:
    """A scheduled summit moves, with the reason; the invitees are told. An edit with its
    own record, not a transition: the summit-held clock keeps running."""
    reason = require_reason(reason, message="Enter why the summit is rescheduled")
    _check_when(summit, starts_at, ends_at, place, host_school)

    def check(by, current):
        check_runner(by, current)
        if current.state != S.SCHEDULED:
            raise NotAllowed(f"A summit that is “{current.get_state_display()}” cannot move.")

    def change(current):
        SummitDateChange.objects.create(
            summit=current,
            was_starts_at=current.starts_at,
            starts_at=starts_at,
            reason=reason,
            by=by,
        )
        _set_when(current, starts_at, ends_at, place, host_school)

    with transaction.atomic():
        current = edit(
            summit,
            by=by,
            change=change,
            reason=f"Rescheduled: {reason}",
            expected_version=expected_version,
            check=check,
        )
        _tell(
            current,
            "The Student Safety Summit has moved",
            f"It is now on {when_words(current)}. Why: {reason}",
        )
    return current


def summit_cancel(
    *, summit: SafetySummit, by, reason: str, expected_version: int | None = None
) -> SafetySummit:
    """planned or scheduled -> cancelled, with the reason; its clock is cancelled and the
    invitees are told."""
    reason = require_reason(reason, message="Enter why the summit is cancelled")

    def keep(current):
        current.end_reason = reason

    return transition(
        summit,
        name="cancel",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=keep,
        after=lambda current: _tell(
            current, "The Student Safety Summit is cancelled", f"Why: {reason}"
        ),
    )
