"""Reads: every list, page and export goes through SelfAssessment.objects.visible_to. One
pathway audit (visible) opens its case for the read log; a partnership audit belongs to no
case, and the list opens none (casework.reads)."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuthorityMembership, School, SchoolMembership, TeamMembership, User
from casework.lists import capped_page_of
from casework.reads import opened
from notifications.models import Deadline
from self_assessments.models import (
    Answer,
    GapAction,
    ImprovementAction,
    ImprovementPlan,
    Instrument,
    Item,
    SelfAssessment,
)
from self_assessments.querysets import partnership_authority_ids
from self_assessments.scoring import results


def visible(user, pk, *, for_update=False) -> SelfAssessment:
    """One audit this person may read, or a 404. A pathway audit opens its case."""
    audit = get_object_or_404(
        SelfAssessment.objects.visible_to(user).select_related(
            "instrument", "school", "authority", "case__school", "previous__instrument"
        ),
        pk=pk,
    )
    if audit.is_pathway:
        opened(audit.case)
    return audit


def audit_page(user, *, pathway: bool, number) -> Page:
    """One page of the audits of one kind (a school's on its case's pathway, or a
    partnership's) this person may read, newest first, each with how far it has got: a fixed
    number of queries for the page, whatever the number of audits."""
    audits = SelfAssessment.objects.visible_to(user)
    audits = audits.pathway() if pathway else audits.partnership()
    answered = (
        Answer.objects.filter(assessment=OuterRef("pk"))
        .exclude(choice="")
        .order_by()  # Answer's default order joins its items: nothing to order in a count
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    page = capped_page_of(
        audits.select_related("instrument", "school", "authority", "case").order_by(
            "-created_at", "-pk"
        ),
        number,
    )
    if not page.paginator.count:
        return page
    audits = list(page.object_list.annotate(answered=Coalesce(Subquery(answered), 0)))
    totals = dict(
        Item.objects.filter(instrument_id__in={a.instrument_id for a in audits})
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values_list("instrument_id", "n")
    )
    for audit in audits:
        audit.total = totals.get(audit.instrument_id, 0)
    page.object_list = audits
    return page


def result_of(assessment):
    return results(assessment, previous=assessment.previous)


def deadline_of(assessment, now=None):
    """The pathway clock of this audit, with its RAG, or None."""
    deadline = (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(SelfAssessment),
            subject_id=assessment.pk,
        )
        .select_related("timescale")
        .order_by("-started_at")
        .first()
    )
    if deadline is None:
        return None
    return {"deadline": deadline, "rag": deadline.rag(now or timezone.now())}


def gap_actions(assessment):
    """The plan actions this audit's gaps became, by item id."""
    links = GapAction.objects.filter(assessment=assessment).select_related("content_type")
    by_item = {}
    for link in links:
        by_item[link.item_id] = link
    improvement = {
        a.pk: a
        for a in ImprovementAction.objects.filter(
            pk__in=[
                link.object_id
                for link in links
                if link.content_type.model_class() is ImprovementAction
            ]
        ).select_related("owner")
    }
    for link in by_item.values():
        link.improvement_action = improvement.get(link.object_id)
    return by_item


def owner_choices(assessment):
    """Who can own an action: for a school's audit, the school's DSLs and the case's lead and
    team; for a partnership's, the authority's members and its teams."""
    if assessment.is_pathway:
        case = assessment.case
        people = Q(school_memberships__school_id=case.school_id)
        if case.lead_practitioner_id:
            people |= Q(pk=case.lead_practitioner_id)
        if case.allocated_team_id:
            people |= Q(team_memberships__team_id=case.allocated_team_id)
    else:
        people = Q(authority_memberships__authority_id=assessment.authority_id) | Q(
            team_memberships__team__authority_id=assessment.authority_id
        )
    return User.objects.filter(people, is_active=True).distinct().order_by("full_name")


def partnership_authorities(user):
    from accounts.models import LocalAuthority

    return LocalAuthority.objects.filter(pk__in=partnership_authority_ids(user)).order_by("name")


def instruments_for(user):
    """Instruments this person may read: the bundled ones, and those loaded for an authority
    they belong to."""
    from accounts.roles import Roles

    roles = Roles.for_user(user)
    authorities = set(partnership_authority_ids(user))
    authorities |= set(
        School.objects.filter(pk__in=roles.school_ids).values_list("authority_id", flat=True)
    )
    authorities |= set(
        TeamMembership.objects.filter(user=user).values_list("team__authority_id", flat=True)
    )
    return Instrument.objects.filter(Q(authority__isnull=True) | Q(authority_id__in=authorities))


def improvement_plans(user):
    return (
        ImprovementPlan.objects.filter(authority_id__in=partnership_authority_ids(user))
        .select_related("authority")
        .order_by("authority__name")
    )


def plan_actions(plan):
    return plan.actions.select_related("owner", "item", "assessment").order_by("state", "due_on")


__all__ = [
    "AuthorityMembership",
    "SchoolMembership",
]


def case_audits(user, referral) -> list:
    """A case's pathway self-assessments this person may read (the case page's card)."""
    return list(
        SelfAssessment.objects.visible_to(user)
        .filter(case=referral)
        .select_related("instrument")
        .order_by("created_at", "pk")
    )
