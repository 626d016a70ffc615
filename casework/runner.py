"""The one way any case record changes: a referral, a panel meeting, a pathway's work item,
a risk assessment, a plan, an action, an audit. Lock the row, check it has not moved since
the person loaded it, check who may act on the current copy, run the FSM transition, save
with the next version and the history's author and reason, and record who/from/to/why,
which also starts and stops the clocks that watch the record. All in one transaction, or
nothing. Services are the public write API; they call these and nothing else sets state."""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from casework.errors import ChangedUnderYou, Incomplete, NotAllowed
from notifications import clocks

CASE = object()  # the default of `case`: the record's own `case` attribute
ITSELF = object()  # `case=ITSELF`: the record is the case (a referral)

Check = Callable[[Any, Any], None]  # check(by, current) raises NotAllowed
Step = Callable[[Any], None]  # before(current) / after(current)


def _state_words(record) -> str:
    return record.get_state_display()


def record_transition(
    *,
    case: models.Model | None,
    subject: models.Model,
    transition: str,
    from_state: str,
    to_state: str,
    by,
    reason: str = "",
):
    """Write the transition record, in the caller's transaction, and move the clocks that
    watch `subject`. `case` is None for a record about no single case (a panel meeting)."""
    # The table belongs to the case app (its migrations own it); the runner names it by label
    # so this package stays below every app that uses it.
    transition_record = apps.get_model("referrals", "TransitionRecord")
    record = transition_record.objects.create(
        case=case,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=timezone.now(),
        reason=reason,
    )
    if case is not None:
        clocks.transition_happened(
            case=case,
            subject=subject,
            from_state=from_state,
            to_state=to_state,
            at=record.at,
            reason=reason,
        )
    return record


def _case_of(current, case):
    if case is CASE:
        return current.case
    return current if case is ITSELF else case


def locked(record, expected_version: int | None = None, noun: str = "record", related=()):
    """A current copy of the record under a row lock; refused if it moved since loading."""
    query = type(record).objects.select_for_update(of=("self",))
    if related:
        query = query.select_related(*related)
    current = query.get(pk=record.pk)
    expected = record.version if expected_version is None else expected_version
    if current.version != expected:
        raise ChangedUnderYou(
            f"This {noun} changed while you were working on it: it is now "
            f"“{_state_words(current)}”. Your change was not saved; reload "
            "the page to see the latest version."
        )
    return current


def save_version(record, *, by, reason: str, noun: str = "record") -> None:
    """Save with the next version number and the history's author and reason."""
    record.version += 1
    record._history_user = by
    record._change_reason = (reason or "")[:100] or None
    try:
        record.save()
    except ConcurrentTransition as exc:  # a racing transaction got there first
        raise ChangedUnderYou(
            f"Someone else changed this {noun} at the same moment. Your change was not "
            "saved; reload the page to see the latest version."
        ) from exc


def record_create(
    record, *, case: models.Model | None, by, reason: str = "", transition: str = "create"
):
    """Save a new record and record its first state (a clock may start from it)."""
    with transaction.atomic():
        record._history_user = by
        record._change_reason = (reason or "")[:100] or None
        record.save()
        record_transition(
            case=case,
            subject=record,
            transition=transition,
            from_state="",
            to_state=record.state,
            by=by,
            reason=reason,
        )
    return record


def record_transition_run(
    record,
    *,
    name: str | Callable[[Any], str],
    by,
    case=CASE,
    reason: str = "",
    expected_version: int | None = None,
    check: Check | None = None,
    before: Step | None = None,
    after: Step | None = None,
    noun: str = "record",
    related=(),
):
    """Run transition `name` (or `name(current)`, when the transition depends on the current
    copy) on a locked, current copy of `record`. `check(by, current)` refuses a person who may
    not act; `before(current)` makes the transition's changes; `after(current)` runs once it
    is saved and recorded."""
    with transaction.atomic():
        current = locked(record, expected_version, noun, related)
        if check:
            check(by, current)
        name = name(current) if callable(name) else name
        method = getattr(current, name)
        if not can_proceed(method):
            raise NotAllowed(f"A {noun} that is “{_state_words(current)}” cannot do that now.")
        if before:
            before(current)
        from_state = current.state
        method()
        save_version(current, by=by, reason=reason or name.replace("_", " "), noun=noun)
        record_transition(
            case=_case_of(current, case),
            subject=current,
            transition=name,
            from_state=from_state,
            to_state=current.state,
            by=by,
            reason=reason,
        )
        if after:
            after(current)
    return current


def record_edit(
    record,
    *,
    by,
    change: Step,
    expected_version: int | None = None,
    reason: str = "",
    check: Check | None = None,
    noun: str = "record",
    related=(),
):
    """Edit a record (no change of state) on a locked, current copy: `check(by, current)`
    refuses, `change(current)` edits; saved with the next version and history."""
    with transaction.atomic():
        current = locked(record, expected_version, noun, related)
        if check:
            check(by, current)
        change(current)
        save_version(current, by=by, reason=reason or "edited", noun=noun)
    return current


def record_update(
    record,
    *,
    by,
    fields: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    noun: str = "record",
):
    """Save new values of a record's fields, validated, refusing a stale copy."""

    def change(current):
        for name, value in fields.items():
            setattr(current, name, value)
        try:
            current.full_clean(exclude=["state"])
        except ValidationError as exc:
            raise Incomplete("Check the answers marked below", exc.message_dict) from exc

    return record_edit(
        record,
        by=by,
        change=change,
        expected_version=expected_version,
        reason=reason,
        noun=noun,
    )
