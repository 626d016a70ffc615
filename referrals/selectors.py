"""Reads: one case (visible_case, the read gate every page of a case goes through), lists and
the front-door queue, always through visible_to, each referral with its running deadlines
and their RAG (one query for all the deadlines of a page). A list opens no case (see
casework.reads)."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.reads import opened
from notifications import cases
from notifications.selectors import deadlines_for_case, running_deadlines_for_cases
from referrals.models import SchoolReferral


@dataclass
class Row:
    referral: SchoolReferral
    deadlines: list = field(default_factory=list)  # [{"deadline": d, "rag": "red"}]


def rows_with_deadlines(referrals, now):
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


def referral_rows(user, now=None):
    referrals = (
        SchoolReferral.objects.visible_to(user)
        .select_related("school", "panel")
        .order_by("-updated_at")
    )
    return rows_with_deadlines(referrals, now or timezone.now())


def front_door_queue(user, now=None):
    """Submitted and screening referrals of this person's authorities, oldest first."""
    referrals = (
        SchoolReferral.objects.visible_to(user)
        .awaiting_front_door()
        .select_related("school", "screened_by")
        .order_by("submitted_at", "pk")
    )
    return rows_with_deadlines(referrals, now or timezone.now())


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
