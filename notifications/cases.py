"""The small, explicit interface through which notifications reads cases. A case app
registers, from its AppConfig.ready(), how to tell which of its cases a person may read
(its `visible_to`); notifications never imports it. A list of deadlines or a digest shows a
clock only if its reader may open its case; a case model nobody registered is shown to
nobody."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

_visible_to: dict[str, Callable] = {}  # model label -> f(user) -> queryset of that model
_facts: dict[str, Callable] = {}  # model label -> f(case) -> CaseFacts
_next_due: dict[str, str] = {}  # model label -> the case's field for its soonest due time


@dataclass(frozen=True)
class CaseFacts:
    """What a clock needs to know about its case, and nothing else."""

    authority: Any  # accounts.LocalAuthority: its calendar, its front door
    school_id: int | None
    school_name: str
    panel_id: int | None
    lead_id: int | None  # the lead practitioner, once named
    team_id: int | None  # the allocated team, once allocated
    label: str  # "SR-2026-00042"
    url: str  # the case page


def register(
    model, *, visible_to: Callable, facts: Callable, next_due_field: str | None = None
) -> None:
    """Called by a case app's AppConfig.ready(): who may read its cases, each case's facts,
    and optionally the field on the case that clocks keep at its soonest running due time
    (so its lists can sort by urgency on an index)."""
    label = model._meta.label_lower
    _visible_to[label] = visible_to
    _facts[label] = facts
    if next_due_field:
        _next_due[label] = next_due_field


def next_due_field(case) -> str | None:
    return _next_due.get(case._meta.label_lower)


def facts(case) -> CaseFacts:
    label = case._meta.label_lower
    if label not in _facts:
        raise ImproperlyConfigured(
            f"{label} runs clocks but never registered with notifications.cases.register()"
        )
    return _facts[label](case)


def readable(user) -> Q:
    """A filter on Deadline (or anything with case_type and case_id): cases `user` may read."""
    condition = Q(pk__in=[])
    for label, visible_to in _visible_to.items():
        case_type = ContentType.objects.get_by_natural_key(*label.split("."))
        condition |= Q(case_type=case_type, case_id__in=visible_to(user).values("pk"))
    return condition


def readable_pairs(user, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of (case type id, case id) pairs, those `user` may read."""
    return pairs_through(
        user, pairs, lambda model: _visible_to.get(model._meta.label_lower), otherwise=False
    )


def pairs_through(
    user, pairs: Iterable[tuple[int, int]], visible_to_of: Callable, *, otherwise: bool
) -> set[tuple[int, int]]:
    """Of (content type id, object id) pairs, those `user` may read: each model's go through
    the `visible_to` that `visible_to_of(model)` gives, one query per model; a model it gives
    none for is readable by all (`otherwise=True`) or by nobody."""
    by_type: dict[int, set[int]] = {}
    for type_id, object_id in pairs:
        by_type.setdefault(type_id, set()).add(object_id)
    found = set()
    for type_id, ids in by_type.items():
        visible_to = visible_to_of(ContentType.objects.get_for_id(type_id).model_class())
        if visible_to is None:
            seen = ids if otherwise else ()
        else:
            seen = visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        found |= {(type_id, object_id) for object_id in seen}
    return found
