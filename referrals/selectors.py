"""Reads: one case (visible_case, the read gate every page of a case goes through), lists and
the front-door queue, always through visible_to, each referral with its running deadlines
and their RAG (one query for all the deadlines of a page). A list opens no case (see
casework.reads)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import ContextPanel, School, Team
from accounts.roles import Roles
from casework import lists
from casework.reads import opened
from notifications import cases
from notifications.selectors import deadlines_for_case, running_deadlines_for_cases
from referrals.choices import CLOSED_STATES, ReferralState
from referrals.models import InformationRequest, SchoolReferral


@dataclass
class Row:
    referral: SchoolReferral
    deadlines: list = field(default_factory=list)  # [{"deadline": d, "rag": "red"}]


def rows_with_deadlines(referrals, now: dt.datetime) -> list[Row]:
    referrals = list(referrals)
    deadlines = running_deadlines_for_cases(SchoolReferral, [r.pk for r in referrals])
    return [
        Row(r, [{"deadline": d, "rag": d.rag(now)} for d in deadlines.get(r.pk, [])])
        for r in referrals
    ]


def visible_case(user, pk) -> SchoolReferral:
    """The case `pk` if this person may read it (otherwise a 404, whoever they are), opened:
    a page that shows it is logged (casework.reads)."""
    referral = get_object_or_404(
        SchoolReferral.objects.visible_to(user).select_related(
            "school__authority",
            "panel",
            "created_by",
            "screened_by",
            "lead_practitioner",
            "allocated_team",
        ),
        pk=pk,
    )
    opened(referral)
    return referral


@dataclass(frozen=True)
class ListFilters:
    """What the referral list shows: open work (the default), closed or all; some states;
    one school; a search by reference, school name or URN; some kinds of harm (any of
    them); the RAG of the case's clocks; a panel; a team; a range of days submitted (London
    days, both ends included); and a column to sort by (SORTS), or the default order."""

    show: str = "open"
    states: tuple[str, ...] = ()
    school_id: int | None = None
    search: str = ""
    concerns: tuple[str, ...] = ()
    rags: tuple[str, ...] = ()  # of RAGS
    panel_id: int | None = None
    team_id: int | None = None
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    sort: str = ""  # "", or a key of SORTS
    descending: bool = False


# Most urgent first: the soonest due of the case's running clocks (overdue ones are the
# soonest), then cases with no clock running, oldest first. Matches the index
# referral_by_due.
BY_URGENCY = (F("next_due_at").asc(nulls_last=True), "pk")

# The columns people sort by: the field, ascending, empty values last (a draft's reference,
# no clock running). Descending is the exact reverse, so one index serves both directions.
SORTS = {
    "reference": "reference",
    "school": "school__name",
    "submitted": "submitted_at",
    "due": "next_due_at",
}

RAGS = {
    "red": "Red: overdue",
    "amber": "Amber: due soon",
    "green": "Green: on track",
    "none": "No deadline running",
}


def _sorted(referrals, sort: str, descending: bool):
    field = F(SORTS[sort])
    if descending:
        return referrals.order_by(field.desc(nulls_first=True), "-pk")
    return referrals.order_by(field.asc(nulls_last=True), "pk")


def rag_is(rag: str, now: dt.datetime) -> Q:
    """The cases whose clocks are, at their worst, `rag` (as Deadline.rag judges each running
    clock): red when one is overdue, which is when the soonest due (next_due_at, kept by
    notifications.clocks) has passed; amber when none is but one is inside its reminder
    window; green when clocks run and neither; none when no clock runs."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Deadline, DeadlineStatus

    reminding = Exists(
        Deadline.objects.filter(
            case_type=ContentType.objects.get_for_model(SchoolReferral),
            case_id=OuterRef("pk"),
            status=DeadlineStatus.RUNNING,
            reminder_at__lte=now,
            # Implied where it is used (no clock overdue), but it keeps the set small: the
            # clocks inside their window, not every clock ever reminded.
            due_at__gte=now,
        )
    )
    if rag == "red":
        return Q(next_due_at__lt=now)
    if rag == "amber":
        return Q(reminding, next_due_at__gte=now)
    if rag == "green":
        return Q(~reminding, next_due_at__gte=now)
    return Q(next_due_at__isnull=True)


def _london_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def filtered_referrals(user, filters: ListFilters, now: dt.datetime | None = None):
    referrals = SchoolReferral.objects.visible_to(user)
    if filters.show == "open":
        referrals = referrals.exclude(state__in=CLOSED_STATES)
    elif filters.show == "closed":
        referrals = referrals.filter(state__in=CLOSED_STATES)
    if filters.states:
        referrals = referrals.filter(state__in=filters.states)
    if filters.school_id:
        referrals = referrals.filter(school_id=filters.school_id)
    if filters.search:
        text = filters.search
        # The schools first (one small query): an OR across the join would scan every
        # referral, while reference OR school_id IN (...) is two indexes (trigram, school).
        schools = list(
            School.objects.filter(Q(name__icontains=text) | Q(urn=text)).values_list(
                "pk", flat=True
            )
        )
        # References are issued in capitals: a plain LIKE, which the trigram index serves.
        referrals = referrals.filter(Q(reference__contains=text.upper()) | Q(school_id__in=schools))
    if filters.concerns:
        # jsonb containment, one kind at a time (any of them): served by the GIN index.
        any_of = Q()
        for concern in filters.concerns:
            any_of |= Q(concern_types__contains=[concern])
        referrals = referrals.filter(any_of)
    if filters.rags:
        now = now or timezone.now()
        any_of = Q()
        for rag in filters.rags:
            any_of |= rag_is(rag, now)
        referrals = referrals.filter(any_of)
    if filters.panel_id:
        referrals = referrals.filter(panel_id=filters.panel_id)
    if filters.team_id:
        referrals = referrals.filter(allocated_team_id=filters.team_id)
    if filters.submitted_from:
        referrals = referrals.filter(submitted_at__gte=_london_midnight(filters.submitted_from))
    if filters.submitted_to:
        next_day = filters.submitted_to + dt.timedelta(days=1)
        referrals = referrals.filter(submitted_at__lt=_london_midnight(next_day))
    if filters.sort in SORTS:
        return _sorted(referrals, filters.sort, filters.descending)
    if filters.show == "closed":
        return referrals.order_by("-updated_at", "-pk")  # the latest to close first
    return referrals.order_by(*BY_URGENCY)


def referral_page(user, filters: ListFilters, number, now: dt.datetime | None = None) -> Page:
    """One page of the referrals this person may see that match the filters, each with its
    running deadlines (one query for the page's, however many referrals match), counted up
    to lists.COUNT_CAP."""
    now = now or timezone.now()
    referrals = filtered_referrals(user, filters, now).select_related("school", "panel")
    page = lists.capped_page_of(referrals, number)
    page.object_list = rows_with_deadlines(page.object_list, now)
    return page


SCHOOLS_OFFERED = 50


def school_choices(user) -> list[School] | None:
    """The schools of the referrals this person may see, by name, to filter by; None when
    there are more than a select can reasonably offer (they search instead)."""
    # Distinct school ids in school order stop at the 51st school (the school index, read in
    # order) instead of collecting every visible referral's school to sort them by name.
    school_ids = list(
        SchoolReferral.objects.visible_to(user)
        .order_by("school_id")
        .values_list("school_id", flat=True)
        .distinct()[: SCHOOLS_OFFERED + 1]
    )
    if len(school_ids) > SCHOOLS_OFFERED:
        return None
    return list(School.objects.filter(pk__in=school_ids).order_by("name", "pk"))


# The front door's views of its queue: what is waiting for its screening decision (the
# default), one of its two states, or the referrals screening asked the school about.
FRONT_DOOR_SHOW = {
    "waiting": "All waiting for a decision",
    "submitted": "Not started",
    "screening": "Being screened",
    "asked": "Waiting for the school",
}


def front_door_queue(user, show: str = "waiting"):
    """The referrals of this person's authorities in one of the front door's views, oldest
    submitted first. Oldest first, not BY_URGENCY: the screening clock is a fixed time from
    submission, so the order is the same for the front door's own clock, whereas next_due_at
    also counts clocks that are not the front door's (the DSLs' immediate risk assessment),
    which would reorder the queue by someone else's work. Served by the (state,
    submitted_at) index."""
    referrals = SchoolReferral.objects.visible_to(user)
    if show == "asked":
        referrals = referrals.filter(
            state=ReferralState.MORE_INFORMATION_REQUESTED,
            pk__in=InformationRequest.objects.filter(
                responded_at__isnull=True, requested_from_state=ReferralState.SCREENING
            ).values("referral_id"),
        )
    elif show in (ReferralState.SUBMITTED, ReferralState.SCREENING):
        referrals = referrals.filter(state=show)
    else:
        referrals = referrals.awaiting_front_door()
    return referrals.order_by("submitted_at", "pk")


def front_door_page(user, show: str, number, now: dt.datetime | None = None) -> Page:
    """One page of the front-door queue, each row with its running deadlines (one query for
    the page's, however long the queue)."""
    referrals = front_door_queue(user, show).select_related("school", "screened_by")
    page = lists.capped_page_of(referrals, number)
    page.object_list = rows_with_deadlines(page.object_list, now or timezone.now())
    return page


def readable_subjects(user, pairs) -> set:
    """Of (content type id, object id) pairs of a case's records, those `user` may read: a
    record whose model has its own `visible_to` (a School Assessment before it is shared, a
    self-assessment) is read through it; any other record is as readable as its case, which
    the caller has already opened through visible_to."""

    def visible_to_of(model):
        if model is SchoolReferral:
            return None
        return getattr(getattr(model, "objects", None), "visible_to", None)

    return cases.pairs_through(user, pairs, visible_to_of, otherwise=True)


def case_deadlines(referral, user, now=None) -> list:
    """The case's clocks that this person may see (visible_to of the record each watches)."""
    now = now or timezone.now()
    deadlines = list(deadlines_for_case(referral))
    readable = readable_subjects(user, {(d.subject_type_id, d.subject_id) for d in deadlines})
    return [
        {"deadline": d, "rag": d.rag(now)}
        for d in deadlines
        if (d.subject_type_id, d.subject_id) in readable
    ]


def waiting_for_the_school(referral):
    """The open request the front door is waiting on, when screening waits for the school:
    its screening clock is stopped (docs/decisions/0010-waiting-for-the-school.md) and a new
    one starts when the school answers. None when nothing waits, the panel asked, or an
    authority's catalogue keeps the screening clock running while the school answers."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Deadline, DeadlineStatus

    if referral.state != ReferralState.MORE_INFORMATION_REQUESTED:
        return None
    request = referral.information_requests.filter(
        responded_at__isnull=True, requested_from_state=ReferralState.SCREENING
    ).first()
    if request is None:
        return None
    running = Deadline.objects.filter(
        case_type=ContentType.objects.get_for_model(referral),
        case_id=referral.pk,
        timescale__key="screening_decision",
        status=DeadlineStatus.RUNNING,
    ).exists()
    return None if running else request


def _authorities_of(user) -> Q | None:
    """The reader's authorities, as a filter on a model with an `authority`: those they
    work for, and those of their schools, panels and teams. None when they have none."""
    roles = Roles.for_user(user)
    direct = (
        roles.front_door_authority_ids
        | roles.front_door_manager_authority_ids
        | roles.duty_manager_authority_ids
    )
    teams = roles.team_ids | roles.managed_team_ids
    parts = []
    if direct:
        parts.append(Q(authority_id__in=direct))
    if roles.school_ids:
        parts.append(
            Q(authority_id__in=School.objects.filter(pk__in=roles.school_ids).values("authority"))
        )
    if roles.panel_ids:
        panels = ContextPanel.objects.filter(pk__in=roles.panel_ids).values("authority")
        parts.append(Q(authority_id__in=panels))
    if teams:
        parts.append(Q(authority_id__in=Team.objects.filter(pk__in=teams).values("authority")))
    if not parts:
        return None
    gate = parts[0]
    for part in parts[1:]:
        gate |= part
    return gate


def panel_choices(user) -> list[ContextPanel]:
    """The panels of the reader's authorities, to filter by (the list is visible_to's
    anyway: choosing a panel never shows more)."""
    gate = _authorities_of(user)
    if gate is None:
        return []
    return list(ContextPanel.objects.filter(gate).order_by("name", "pk"))


def team_choices(user) -> list[Team]:
    """The teams of the reader's authorities that cases are allocated to (not the front
    door's own), to filter by."""
    gate = _authorities_of(user)
    if gate is None:
        return []
    return list(Team.objects.filter(gate, is_front_door=False).order_by("name", "pk"))
