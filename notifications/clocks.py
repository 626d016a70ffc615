"""Clocks start and stop as a consequence of transitions, and only here.

Every service that runs a transition calls `transition_happened` in the same transaction
(casework.runner.record_transition does it for every case model), so a deadline can
never disagree with the state of the record it watches."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone

from notifications import cases
from notifications.catalogue import live_timescales
from notifications.models import (
    Deadline,
    DeadlineStatus,
    OwnerRole,
    PeriodUnit,
)
from notifications.workdays import WorkingCalendar


def transition_happened(*, case, subject, from_state, to_state, at, reason=""):
    about = cases.facts(case)
    moved = False
    for timescale in live_timescales(about.authority, subject._meta.label_lower):
        was_running = from_state in timescale.running_states
        runs_now = to_state in timescale.running_states
        if runs_now and not was_running and _condition_met(timescale, subject):
            start_clock(timescale=timescale, case=case, about=about, subject=subject, at=at)
            moved = True
        elif was_running and not runs_now:
            stopped = stop_clock(
                timescale=timescale, subject=subject, to_state=to_state, at=at, reason=reason
            )
            moved = moved or stopped is not None
        elif was_running and from_state == to_state:
            # Re-entering a running state (a review, a new due date) meets this clock and
            # starts the next one.
            stopped = stop_clock(
                timescale=timescale,
                subject=subject,
                to_state=to_state,
                at=at,
                reason=reason,
                met=True,
            )
            if stopped is not None:
                start_clock(timescale=timescale, case=case, about=about, subject=subject, at=at)
                moved = True
    if subject._meta.label_lower == case._meta.label_lower:
        follow_case(case, about)
    if moved:
        keep_next_due(case)


def case_ended(*, case, at, reason, keep=()):
    """A case that closes (however it closes: with outcomes, below threshold after a step
    down, withdrawn, redirected) runs no clocks: whatever still runs on any of its records
    is cancelled, with the reason, so nobody is reminded about a closed case. `keep`: the
    deadlines of records that outlive it (an open risk assessment after a redirect)."""
    cancelled = (
        Deadline.objects.filter(
            case_type=ContentType.objects.get_for_model(case),
            case_id=case.pk,
            status=DeadlineStatus.RUNNING,
        )
        .exclude(pk__in=list(keep))
        .update(
            status=DeadlineStatus.CANCELLED,
            stopped_at=at,
            stop_reason=f"The case ended: {reason}" if reason else "The case ended",
        )
    )
    if cancelled:
        keep_next_due(case)
    return cancelled


def keep_next_due(case):
    """Write the case's soonest running due time on the case row (and the instance), when its
    app asked for it (cases.register(next_due_field=...)). An update, not a save: no history
    and no version, since no answer changed. It orders lists only (each row's deadlines are
    read from the deadlines themselves); two transactions moving clocks of one case's
    different records at the same moment can leave it missing the other's until the case's
    next clock moves."""
    name = cases.next_due_field(case)
    if name is None:
        return
    due = Deadline.objects.filter(
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        status=DeadlineStatus.RUNNING,
    ).aggregate(soonest=Min("due_at"))["soonest"]
    type(case).objects.filter(pk=case.pk).update(**{name: due})
    setattr(case, name, due)


def _lead_takes_over(case, about):
    """Kept for its callers' name: the clocks follow the case (see follow_case)."""
    return follow_case(case, about)


def follow_case(case, about=None):
    """Every running clock of the case follows who holds the case now, in one place: the
    lead's clocks (and an action's whose owner has no account) go to the lead named now, or
    to nobody named while the team allocates; every clock but the front door's takes the
    allocated team (its escalation route) and the case's panel. Called after every change
    of the case itself (a decision that names the lead, a step up or down, a reallocation),
    so a lead who no longer holds the case no longer holds its deadlines. Two statements,
    whatever the number of clocks. Returns the number of running clocks it wrote."""
    about = about or cases.facts(case)
    running = Deadline.objects.filter(
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        status=DeadlineStatus.RUNNING,
    )
    moved = running.filter(owner_role=OwnerRole.LEAD).update(
        owner_id=about.lead_id, team_id=about.team_id, panel_id=about.panel_id
    )
    others = running.exclude(owner_role__in=[OwnerRole.LEAD, OwnerRole.FRONT_DOOR])
    if about.team_id is None:  # before allocation: the panel holds the case
        moved += others.update(panel_id=about.panel_id)
    else:
        moved += others.update(team_id=about.team_id, panel_id=about.panel_id)
    return moved


def _condition_met(timescale, subject):
    """{"field": f, "any_of": [...]}: f holds one of the values (or, for a list, contains
    one); {"field": f, "is_set": bool}: f is (or is not) filled in. A state shared by two
    stages (more information requested, by the front door or by the panel) is told apart by
    such a condition."""
    condition = timescale.condition or {}
    if not condition:
        return True
    value = getattr(subject, condition["field"])  # checked at start-up (notifications.checks)
    if "is_set" in condition:
        return (value not in (None, "", [])) == condition["is_set"]
    values = value if isinstance(value, list | tuple | set) else [value]
    return any(v in condition["any_of"] for v in values)


def schedule(timescale, calendar, start, started=None):
    """Due, reminder and escalation moments of a clock counted from `start` (its anchor, or
    the moment it started: `started`). A reminder is never before the clock started."""
    if timescale.period_unit == PeriodUnit.MONTHS:
        due = calendar.due(start, months=timescale.period)
    else:
        due = calendar.due(start, working_days=timescale.period)
    due_day = due.date()
    reminder = calendar.end_of(calendar.add(due_day, -timescale.reminder_days))
    if timescale.reminder_days == 0:
        # Same-day clocks: remind at the start of the working day they fall due.
        reminder = due.replace(hour=9, minute=0)
    escalation = calendar.end_of(calendar.add(due_day, timescale.escalation_days))
    return due, max(reminder, started or start), escalation


def _anchor(timescale, case, subject):
    """The moment the period counts from: the named field of the record, else of its case
    (a plan action's due date; the referral's submission), else now. A date counts from the
    start of that day, so a period of 0 falls due at the end of it."""
    if not timescale.anchor:
        return None
    # The record's own field, else its case's: one of them has it (notifications.checks).
    holder = subject if hasattr(subject, timescale.anchor) else case
    value = getattr(holder, timescale.anchor)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
    return value


def start_clock(*, timescale, case, subject, at, about=None):
    about = about or cases.facts(case)
    calendar = WorkingCalendar.for_authority(about.authority)
    due, reminder, escalation = schedule(
        timescale, calendar, _anchor(timescale, case, subject) or at, started=at
    )
    owner_id, team_id = _owner_and_team(timescale, about, subject)
    # An action whose owner has no account is the lead's, and follows the lead.
    owner_role = timescale.owner_role
    if owner_role == OwnerRole.OWNER and getattr(subject, "owner_id", None) is None:
        owner_role = OwnerRole.LEAD
    return Deadline.objects.create(
        timescale=timescale,
        authority=about.authority,
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        case_label=f"{about.label} – {about.school_name}"[:60],
        # A named owner may see only their own record (a partner's action), so link to it.
        case_url=(
            subject.get_absolute_url() if timescale.owner_role == OwnerRole.OWNER else about.url
        ),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        owner_role=owner_role,
        owner_id=owner_id,
        school_id=about.school_id,
        panel_id=about.panel_id,
        team_id=team_id,
        started_at=at,
        due_at=due,
        reminder_at=reminder,
        escalation_at=escalation,
    )


def _owner_and_team(timescale, about, subject):
    """(owner id, team id) of a new clock. A record named for its owner (a plan action)
    says who: its `owner_id`, or the lead when the owner has no account."""
    from accounts.models import Team

    if timescale.owner_role == OwnerRole.OWNER:
        return subject.owner_id or about.lead_id, about.team_id
    if timescale.owner_role == OwnerRole.LEAD:
        return about.lead_id, about.team_id
    if timescale.owner_role == OwnerRole.FRONT_DOOR:
        team = Team.objects.filter(authority=about.authority, is_front_door=True).first()
        return None, team.pk if team else None
    return None, about.team_id


def stop_clock(*, timescale, subject, to_state, at, reason="", met=None):
    deadline = (
        Deadline.objects.select_for_update()
        .filter(
            timescale=timescale,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            status=DeadlineStatus.RUNNING,
        )
        .first()
    )
    if deadline is None:
        return None
    if met is None:
        met = to_state in timescale.met_states
    deadline.status = DeadlineStatus.MET if met else DeadlineStatus.CANCELLED
    deadline.stopped_at = at
    deadline.on_time = at <= deadline.due_at if met else None
    deadline.stop_reason = reason or f"moved to {to_state}"
    deadline.save(update_fields=["status", "stopped_at", "on_time", "stop_reason"])
    return deadline
