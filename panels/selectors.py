"""Reads for the panel: the agenda (in a fixed number of queries), minutes, letters. The
agenda and the minutes open the cases they show (casework.reads)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import ContextPanel, School
from accounts.roles import Roles
from casework.lists import page_of
from casework.reads import opened_many
from panels.choices import MeetingState
from panels.models import AgendaChange, ConflictOfInterest, PanelMeeting, ThresholdDecision
from referrals.choices import ConcernType, IndicatorLevel, ReferralState
from referrals.models import SchoolReferral, ThresholdIndicator

# Highest concern first: child protection indicators observed, or sexual violence or
# exploitation reported; then child in need indicators; then the rest. Oldest first within.
SERIOUS = {ConcernType.SEXUAL_VIOLENCE, ConcernType.CSE, ConcernType.CCE}
RANK = {
    IndicatorLevel.CHILD_PROTECTION: 3,
    IndicatorLevel.CHILD_IN_NEED: 2,
    IndicatorLevel.UNIVERSAL: 1,
}
CONCERN_WORDS = {
    3: "Child protection concern",
    2: "Child in need concern",
    1: "Universal",
    0: "No indicators recorded",
}
WAITING = [ReferralState.AWAITING_PANEL, ReferralState.MORE_INFORMATION_REQUESTED]
# How many of the school's other referrals an agenda item shows; the rest are one link away
# (the referral list filtered to the school).
HISTORY_SHOWN = 5


@dataclass
class AgendaItem:
    referral: SchoolReferral
    concern: int
    urgent: object = None  # the AgendaChange, when the chair marked it urgent
    # The school's other referrals, most recent first, at most HISTORY_SHOWN; each carries
    # `current` (its decision in force, or None).
    history: list = field(default_factory=list)
    history_total: int = 0  # how many other referrals of the school this person may open
    may_decide: bool = False  # whether this person is offered "record decision"

    @property
    def history_more(self) -> bool:
        return self.history_total > len(self.history)

    @property
    def concern_label(self):
        return CONCERN_WORDS[self.concern]


def concern_rank(referral):
    rank = max((RANK[i.level] for i in referral.indicators.all()), default=0)
    if SERIOUS & set(referral.concern_types or []):
        rank = 3
    return rank


def agenda(meeting, user):
    """The referrals awaiting this meeting's panel, urgent items first, then highest concern,
    then oldest; deferred items wait for the next meeting. Each item's school history lists
    only what `user` may open (visible_to). Queries do not grow with items. Each item's case
    is opened; its school history is a list, and opens none."""
    changes = list(AgendaChange.objects.filter(meeting=meeting).select_related("by"))
    deferred = {c.referral_id for c in changes if c.kind == AgendaChange.Kind.DEFERRED}
    urgent = {c.referral_id: c for c in changes if c.kind == AgendaChange.Kind.URGENT}
    earlier_deferrals = AgendaChange.objects.filter(
        meeting__panel=meeting.panel,
        meeting__starts_at__lt=meeting.starts_at,
        kind=AgendaChange.Kind.DEFERRED,
    ).values_list("referral_id", flat=True)
    visible = SchoolReferral.objects.visible_to(user)
    referrals = list(
        visible.filter(panel=meeting.panel, state__in=WAITING)
        .exclude(pk__in=deferred)
        .select_related("school")
        .prefetch_related(
            Prefetch("indicators", queryset=ThresholdIndicator.objects.order_by("level"))
        )
    )
    carried = set(earlier_deferrals)
    history = _school_history(visible, [r.school_id for r in referrals])
    conflicted = set(
        ConflictOfInterest.objects.filter(user=user).values_list("school_id", flat=True)
    )
    items = [
        AgendaItem(
            referral=r,
            concern=concern_rank(r),
            urgent=urgent.get(r.pk),
            history=[h for h in history[r.school_id] if h.pk != r.pk][:HISTORY_SHOWN],
            history_total=_others(history[r.school_id]),
            may_decide=may_decide_now(meeting, r, conflicted),
        )
        for r in referrals
    ]
    items.sort(
        key=lambda i: (
            i.urgent is None,
            i.referral.pk not in carried,
            -i.concern,
            i.referral.submitted_at,
        )
    )
    opened_many(i.referral for i in items)
    return items, [c for c in changes if c.kind == AgendaChange.Kind.DEFERRED]


def conflict_schools(user) -> QuerySet[School]:
    """The schools a panel member may declare a conflict for: those of their panels'
    authorities (searched, never listed whole: accounts.school_search)."""
    roles = Roles.for_user(user)
    authorities = ContextPanel.objects.filter(pk__in=roles.panel_ids).values("authority_id")
    return School.objects.filter(authority_id__in=authorities)


def may_decide_now(meeting, referral, conflicted_school_ids) -> bool:
    """Whether a member is offered "record decision" for an agenda item: the meeting is in
    session, the referral awaits the panel, and the member declared no conflict of interest
    for its school (panels.services.decision_record refuses the same)."""
    return (
        meeting.state == MeetingState.IN_SESSION
        and referral.state == ReferralState.AWAITING_PANEL
        and referral.school_id not in conflicted_school_ids
    )


def _school_history(visible, school_ids) -> dict[int, list[SchoolReferral]]:
    """Each school's most recent submitted referrals of those in `visible` only: one more
    than an item shows (an item skips itself), ranked per school in the database, so an
    agenda never loads a school's whole past. Each row carries `school_total` (the school's
    visible submitted referrals) and `current` (its decision in force, or None), fetched
    for the rows shown only. Two queries, however many schools."""
    ranked = (
        visible.filter(school_id__in=set(school_ids))
        .exclude(state=ReferralState.DRAFT)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("school_id")],
                order_by=[F("submitted_at").desc(nulls_last=True), F("pk").desc()],
            ),
            school_total=Window(Count("pk"), partition_by=[F("school_id")]),
        )
        .filter(rank__lte=HISTORY_SHOWN + 1)
        .only("pk", "reference", "state", "school_id", "submitted_at")
        .order_by("school_id", "rank")
    )
    rows = list(ranked)
    current = {
        d.referral_id: d
        for d in ThresholdDecision.objects.filter(
            referral_id__in=[r.pk for r in rows], superseded_by__isnull=True
        ).only("pk", "referral_id", "level", "pathway")
    }
    history = defaultdict(list)
    for r in rows:
        r.current = current.get(r.pk)
        history[r.school_id].append(r)
    return history


def _others(rows) -> int:
    """How many other referrals the school has: the item is itself one of its school's
    visible submitted referrals, so one fewer than the school's total."""
    return max(rows[0].school_total - 1, 0) if rows else 0


def current_decision(referral):
    return (
        ThresholdDecision.objects.filter(referral=referral, superseded_by__isnull=True)
        .select_related("lead_practitioner", "lead_team", "decided_by", "meeting", "supersedes")
        .first()
    )


def minutes_content(meeting):
    """What the minutes say, as plain data: frozen into a MinutesVersion on approval."""
    decisions = (
        ThresholdDecision.objects.filter(meeting=meeting)
        .select_related("referral__school", "lead_practitioner", "lead_team", "decided_by")
        .prefetch_related("conflicts_excluded")
        .order_by("decided_at")
    )
    deferred = AgendaChange.objects.filter(meeting=meeting, kind=AgendaChange.Kind.DEFERRED)
    return {
        "panel": meeting.panel.name,
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
        "place": meeting.place,
        "attendees": [str(u) for u in meeting.attendees.all()],
        "apologies": [str(u) for u in meeting.apologies.all()],
        "decisions": [
            {
                "reference": d.referral.reference,
                "school": d.referral.school.name,
                "level": d.get_level_display(),
                "pathway": d.get_pathway_display(),
                "rationale": d.rationale,
                "advice": d.advice,
                "lead": ", ".join(str(x) for x in (d.lead_practitioner, d.lead_team) if x),
                "start_by": d.start_by.isoformat() if d.start_by else "",
                "decided_by": str(d.decided_by),
                "step": "step up or down: " + d.change_reason if d.supersedes_id else "",
                "took_no_part": [str(u) for u in d.conflicts_excluded.all()],
            }
            for d in decisions
        ],
        "deferred": [
            {"reference": c.referral.reference, "reason": c.reason}
            for c in deferred.select_related("referral")
        ],
        "actions": meeting.actions,
    }


def open_minutes_cases(content) -> None:
    """Open the cases that minutes (`content`, frozen or live) discuss: each decided and each
    deferred, found by the references the minutes name."""
    references = {d["reference"] for d in content.get("decisions", [])}
    references |= {d["reference"] for d in content.get("deferred", [])}
    references -= {None, ""}
    opened_many(SchoolReferral.objects.filter(reference__in=references).only("pk"))


UPCOMING = [MeetingState.SCHEDULED, MeetingState.IN_SESSION]


def meetings_for(user, number, now: dt.datetime | None = None) -> tuple[list, Page]:
    """This person's panels' meetings: every upcoming one (soonest first; a chair schedules
    a few ahead) and one page of the past ones, which grow for ever (latest first).
    Upcoming is a meeting still to be held, or in session now; a meeting whose minutes are
    drafted or approved, or that was cancelled, is past whatever its times say."""
    now = now or timezone.now()
    meetings = PanelMeeting.objects.visible_to(user).select_related("panel")
    to_come = Q(state=MeetingState.IN_SESSION) | Q(state=MeetingState.SCHEDULED, ends_at__gte=now)
    upcoming = list(meetings.filter(to_come).order_by("starts_at", "pk"))
    past = page_of(meetings.exclude(to_come).order_by("-starts_at", "-pk"), number)
    return upcoming, past


@dataclass
class Waiting:
    referral: SchoolReferral
    due_at: object = None  # the panel decision clock's due date, while it runs
    meeting: object = None  # the meeting whose agenda it is on: the panel's next one


def waiting_for(panel, user, number, now: dt.datetime | None = None):
    """Every referral waiting for this panel (awaiting its decision, or waiting for the
    school's answer to its question), with or without a meeting, oldest first, a page at a
    time; each with its decision clock's due date and the next meeting, which is where it
    will be heard. A list: it names cases and opens none (casework.reads)."""
    from notifications.models import Deadline, DeadlineStatus

    now = now or timezone.now()
    following = (
        PanelMeeting.objects.filter(panel=panel, ends_at__gte=now)
        .filter(state__in=UPCOMING)
        .order_by("starts_at", "pk")
        .first()
    )
    referrals = (
        SchoolReferral.objects.visible_to(user)
        .filter(panel=panel, state__in=WAITING)
        .select_related("school")
        .order_by("submitted_at", "pk")
    )
    page = page_of(referrals, number)
    ids = [r.pk for r in page.object_list]
    due = {}
    for case_id, due_at in (
        Deadline.objects.filter(
            case_id__in=ids,
            case_type__app_label="referrals",
            case_type__model="schoolreferral",
            timescale__key="panel_threshold_decision",
            status=DeadlineStatus.RUNNING,
        )
        .order_by("due_at")
        .values_list("case_id", "due_at")
    ):
        due.setdefault(case_id, due_at)
    page.object_list = [
        Waiting(referral=r, due_at=due.get(r.pk), meeting=following) for r in page.object_list
    ]
    return following, page
