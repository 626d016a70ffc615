"""Reads: one case (visible_case, the read gate every page of a case goes through), lists and
the front-door queue, always through visible_to, each referral with its running deadlines
and their RAG (one query for all the deadlines of a page). A list opens no case (see
casework.reads)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import School
from casework.lists import page_of
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
    one school; a search by reference, school name or URN."""

    show: str = "open"
    states: tuple[str, ...] = ()
    school_id: int | None = None
    search: str = ""


# Most urgent first: the soonest due of the case's running clocks (overdue ones are the
# soonest), then cases with no clock running, oldest first. Matches the index
# referral_open_by_due.
BY_URGENCY = (F("next_due_at").asc(nulls_last=True), "pk")


def filtered_referrals(user, filters: ListFilters):
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
        referrals = referrals.filter(
            Q(reference__icontains=text) | Q(school__name__icontains=text) | Q(school__urn=text)
        )
    if filters.show == "closed":
        return referrals.order_by("-updated_at", "-pk")  # the latest to close first
    return referrals.order_by(*BY_URGENCY)


def referral_page(user, filters: ListFilters, number, now: dt.datetime | None = None) -> Page:
    """One page of the referrals this person may see that match the filters, each with its
    running deadlines (one query for the page's, however many referrals match)."""
    page = page_of(filtered_referrals(user, filters).select_related("school", "panel"), number)
    page.object_list = rows_with_deadlines(page.object_list, now or timezone.now())
    return page


SCHOOLS_OFFERED = 50


def school_choices(user) -> list[School] | None:
    """The schools of the referrals this person may see, by name, to filter by; None when
    there are more than a select can reasonably offer (they search instead)."""
    schools = list(
        School.objects.filter(
            pk__in=SchoolReferral.objects.visible_to(user).values("school_id")
        ).order_by("name", "pk")[: SCHOOLS_OFFERED + 1]
    )
    return schools if len(schools) <= SCHOOLS_OFFERED else None


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
    page = page_of(referrals, number)
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
