"""Reads of Student Safety Summits, always through SafetySummit.objects.visible_to. One
summit (visible_summit) opens its case for the read log; its content is cut to the schools
the reader may see (permissions.school_scope): a DSL never reads another school's part."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import School
from casework.lists import capped_page_of, open_work_first
from casework.reads import opened
from notifications.selectors import clocks_of
from referrals.models import SchoolReferral
from safety_summits.summit.charts import safety_map_chart
from safety_summits.summit.choices import OPEN_STATES, Question
from safety_summits.summit.models import SafetySummit
from safety_summits.summit.permissions import school_scope


def visible(user):
    return SafetySummit.objects.visible_to(user).select_related(
        "referral__school__authority", "lead", "host_school"
    )


def visible_summit(user, pk) -> SafetySummit:
    """The summit `pk` if this person may read it (otherwise a 404), its case opened."""
    summit = get_object_or_404(visible(user), pk=pk)
    opened(summit.referral)
    return summit


def summit_for_case(user, referral) -> SafetySummit | None:
    return visible(user).filter(referral=referral).order_by("-created_at", "-pk").first()


def reads_case(user, summit) -> bool:
    """Whether this person may read the case itself (a DSL of another invited school may
    not: they see the summit, never the referral behind it)."""
    return SchoolReferral.objects.visible_to(user).filter(pk=summit.referral_id).exists()


@dataclass
class Row:
    summit: SafetySummit
    deadlines: list = field(default_factory=list)


def summit_page(user, number, now=None, show: str = "open") -> Page:
    """One page of the summits this person may see in one of casework.lists.WORK_SHOW's views
    (open ones, oldest first, by default), with their running clocks (one query for the
    page's clocks, however many summits there are), counted up to the cap."""
    now = now or timezone.now()
    page = capped_page_of(open_work_first(visible(user), show, OPEN_STATES), number)
    summits = list(page.object_list)
    clocks = clocks_of(SafetySummit, [s.pk for s in summits], now)
    page.object_list = [
        Row(s, [c for c in clocks.get(s.pk, []) if c["rag"] != "done"]) for s in summits
    ]
    return page


def _scoped(queryset, scope, *, shared=False):
    """Rows of the schools in `scope` (None: every school); `shared` rows (no school) are
    for everyone at the summit."""
    if scope is None:
        return queryset
    where = Q(school_id__in=scope)
    if shared:
        where |= Q(school__isnull=True)
    return queryset.filter(where)


def summit_content(summit, user, now=None) -> dict:
    """Everything the summit's page and its report show to this person, in a fixed number
    of queries."""
    now = now or timezone.now()
    scope = school_scope(user, summit)
    schools = list(School.objects.filter(pk__in=summit.schools.values("pk")).order_by("name"))
    shown_schools = [s for s in schools if scope is None or s.pk in scope]
    places = list(_scoped(summit.places.select_related("school"), scope))
    voices = defaultdict(list)
    for voice in _scoped(summit.voices.select_related("school"), scope):
        voices[voice.question].append(voice)
    turnouts = list(_scoped(summit.turnouts.select_related("school"), scope))
    return {
        "scope": scope,
        "sees_all": scope is None,
        "schools": shown_schools,
        "other_schools": len(schools) - len(shown_schools),
        "turnouts": turnouts,
        "young_people": sum(t.total for t in turnouts),
        "places": places,
        "chart": safety_map_chart(places) if places else None,
        "voices": [(q.label, voices[q.value]) for q in Question if voices.get(q.value)],
        "actions": list(
            _scoped(
                summit.actions.select_related("owner", "plan_action", "school"), scope, shared=True
            )
        ),
        "responses": list(_scoped(summit.responses.select_related("school"), scope, shared=True)),
        "invitees": list(summit.invitees.select_related("user")) if scope is None else [],
        "date_changes": list(summit.date_changes.select_related("by")),
        "deadlines": clocks_of(SafetySummit, [summit.pk], now)[summit.pk],
    }
