"""Reads, always through SchoolPartnershipMeeting.objects.visible_to. One meeting
(visible_meeting) opens its case for the read log; the list opens none (casework.reads)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import TeamMembership
from casework.lists import capped_page_of, open_work_first
from casework.reads import opened
from notifications.selectors import clocks_of
from safety_summits.choices import OPEN_STATES, About
from safety_summits.models import SchoolPartnershipMeeting


def visible(user):
    return SchoolPartnershipMeeting.objects.visible_to(user).select_related(
        "referral__school__authority", "lead"
    )


def visible_meeting(user, pk) -> SchoolPartnershipMeeting:
    """The meeting `pk` if this person may read it (otherwise a 404), its case opened."""
    meeting = get_object_or_404(visible(user), pk=pk)
    opened(meeting.referral)
    return meeting


def meeting_for_case(user, referral):
    """The case's latest meeting this person may see (the case page's card)."""
    return visible(user).filter(referral=referral).order_by("-created_at", "-pk").first()


@dataclass
class Row:
    meeting: SchoolPartnershipMeeting
    deadlines: list = field(default_factory=list)


def meeting_page(user, number, now=None, show: str = "open") -> Page:
    """One page of the meetings this person may see in one of casework.lists.WORK_SHOW's
    views (open ones, oldest first, by default), each with its running clocks (one query for
    the clocks of the page, however many meetings there are), counted up to the cap."""
    now = now or timezone.now()
    page = capped_page_of(open_work_first(visible(user), show, OPEN_STATES), number)
    meetings = list(page.object_list)
    clocks = clocks_of(SchoolPartnershipMeeting, [m.pk for m in meetings], now)
    page.object_list = [
        Row(m, [c for c in clocks.get(m.pk, []) if c["rag"] != "done"]) for m in meetings
    ]
    return page


def attendee_choices(referral):
    """Who can be recorded as attending with their account: the case's lead, the allocated
    team and the school's DSLs, each of whom may open the meeting and its safety plan.
    Partners attend as named people (`other_attendees`)."""
    team_members = TeamMembership.objects.filter(team_id=referral.allocated_team_id).values(
        "user_id"
    )
    return list(
        get_user_model()
        .objects.filter(
            Q(pk=referral.lead_practitioner_id)
            | Q(pk__in=team_members)
            | Q(school_memberships__school_id=referral.school_id),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def meeting_content(meeting, now=None):
    """Everything the meeting's page and its safety plan show, in a few queries."""
    now = now or timezone.now()
    discussions = list(meeting.discussions.all())
    return {
        "peer_groups": [d for d in discussions if d.about == About.PEER_GROUP],
        "places": [d for d in discussions if d.about == About.LOCATION],
        "actions": list(meeting.actions.select_related("owner", "plan_action")),
        "attendee_list": list(meeting.attendees.order_by("full_name", "email")),
        "date_changes": list(meeting.date_changes.select_related("by")),
        "deadlines": clocks_of(SchoolPartnershipMeeting, [meeting.pk], now)[meeting.pk],
    }
