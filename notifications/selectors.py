"""Reads of deadlines and messages."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Roles
from notifications import cases
from notifications.models import Deadline, DeadlineStatus, Notification, OwnerRole


def running_deadlines_for_cases(case_model, case_ids):
    """{case id: [running deadlines, soonest first]} in one query, for list pages."""
    by_case = defaultdict(list)
    deadlines = Deadline.objects.filter(
        case_type=ContentType.objects.get_for_model(case_model),
        case_id__in=list(case_ids),
        status=DeadlineStatus.RUNNING,
    ).select_related("timescale")
    for deadline in deadlines.order_by("due_at"):
        by_case[deadline.case_id].append(deadline)
    return by_case


def clocks_of(model, ids, now=None, *, running_only=False):
    """{record id: [{"deadline": d, "rag": ...}]}: the clocks of these records of one model
    (running first, then soonest due), in one query, for their pages and lists."""
    now = now or timezone.now()
    by_record = defaultdict(list)
    deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(model), subject_id__in=list(ids)
    )
    if running_only:
        deadlines = deadlines.filter(status=DeadlineStatus.RUNNING)
    # "running" sorts after "met" and "cancelled": descending puts it first.
    for deadline in deadlines.select_related("timescale").order_by("-status", "due_at"):
        by_record[deadline.subject_id].append({"deadline": deadline, "rag": deadline.rag(now)})
    return by_record


def deadlines_for_case(case):
    return (
        Deadline.objects.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)
        .select_related("timescale", "owner")
        .order_by("status", "due_at")
    )


@dataclass(frozen=True)
class DeadlineFilters:
    """What a deadlines list shows: running clocks (the default), met, stopped or all; of
    running ones, some RAG colours; one kind of clock (a timescale's key)."""

    show: str = "running"  # running | met | cancelled | all
    rags: tuple[str, ...] = ()  # red | amber | green
    clock: str = ""


def my_deadlines(user, filters: DeadlineFilters | None = None, now: dt.datetime | None = None):
    """Deadlines this person owns, personally or through a role, of cases they may open;
    running ones by default, most urgent first."""
    roles = Roles.for_user(user)
    mine = Q(owner=user)
    mine |= Q(owner_role=OwnerRole.FRONT_DOOR, authority_id__in=roles.front_door_authority_ids)
    mine |= Q(owner_role=OwnerRole.DSL, school_id__in=roles.school_ids)
    mine |= Q(owner_role=OwnerRole.CHAIR, panel_id__in=roles.chaired_panel_ids)
    # A lead's clock before any lead or team is whoever holds the case (notifications.owners):
    # the panel's chair once it is with a panel, the front door before.
    no_lead = Q(owner_role=OwnerRole.LEAD, owner__isnull=True, team__isnull=True)
    mine |= no_lead & Q(panel_id__in=roles.chaired_panel_ids)
    mine |= no_lead & Q(panel_id__isnull=True, authority_id__in=roles.front_door_authority_ids)
    return _deadlines(mine & cases.readable(user), filters, now)


def team_deadlines(user, filters: DeadlineFilters | None = None, now: dt.datetime | None = None):
    """Deadlines of this person's teams (and, for the front door, its own), of cases they
    may open; running ones by default, most urgent first."""
    roles = Roles.for_user(user)
    ours = Q(team_id__in=roles.team_ids | roles.managed_team_ids)
    ours |= Q(owner_role=OwnerRole.FRONT_DOOR, authority_id__in=roles.front_door_authority_ids)
    return _deadlines(ours & cases.readable(user), filters, now)


def rag_condition(rag: str, now: dt.datetime) -> Q:
    """Running deadlines whose Deadline.rag(now) is `rag`, as a filter the database runs."""
    running = Q(status=DeadlineStatus.RUNNING)
    if rag == "red":
        return running & Q(due_at__lt=now)
    if rag == "amber":
        return running & Q(due_at__gte=now, reminder_at__lte=now)
    return running & Q(due_at__gte=now, reminder_at__gt=now)


def _deadlines(condition, filters: DeadlineFilters | None, now: dt.datetime | None):
    filters = filters or DeadlineFilters()
    deadlines = Deadline.objects.filter(condition).select_related("timescale", "owner", "team")
    if filters.show != "all":
        deadlines = deadlines.filter(status=filters.show)
    if filters.rags:
        now = now or timezone.now()
        either = Q(pk__in=[])
        for rag in filters.rags:
            either |= rag_condition(rag, now)
        deadlines = deadlines.filter(either)
    if filters.clock:
        deadlines = deadlines.filter(timescale__key=filters.clock)
    if filters.show == "running":
        return deadlines.order_by("due_at", "pk")  # the most urgent first
    if filters.show == "all":
        # "running" sorts after "met" and "cancelled": descending puts the running first.
        return deadlines.order_by("-status", "due_at", "pk")
    return deadlines.order_by("-stopped_at", "-pk")  # the latest to stop first


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def undelivered_for(user):
    """Failed emails of the people of the authorities this person is duty manager for, newest
    first. A duty manager sees who, what (the title) and why, never the message's body."""
    from accounts.models import (
        AuthorityMembership,
        PanelMembership,
        SchoolMembership,
        TeamMembership,
    )

    authorities = Roles.for_user(user).duty_manager_authority_ids
    if not authorities:
        return Notification.objects.none()
    people = (
        Q(
            user_id__in=AuthorityMembership.objects.filter(authority_id__in=authorities).values(
                "user_id"
            )
        )
        | Q(
            user_id__in=SchoolMembership.objects.filter(
                school__authority_id__in=authorities
            ).values("user_id")
        )
        | Q(
            user_id__in=TeamMembership.objects.filter(team__authority_id__in=authorities).values(
                "user_id"
            )
        )
        | Q(
            user_id__in=PanelMembership.objects.filter(panel__authority_id__in=authorities).values(
                "user_id"
            )
        )
        | Q(deadline__authority_id__in=authorities)
    )
    return (
        Notification.objects.filter(people, email_status=Notification.Email.FAILED)
        .select_related("user")
        .order_by("-created_at", "-pk")
    )
