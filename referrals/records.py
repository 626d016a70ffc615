"""The one way a record that hangs off a case (a risk assessment, a plan, an action, a
pathway's work item) is edited or changes state: lock it, check it has not moved since the
person loaded it, check who may act on the current copy, make the change, save with history
and, for a transition, record who/from/to/why, which also starts and stops its clocks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed

from referrals.errors import ChangedUnderYou, Incomplete, NotAllowed

CASE = object()  # the default of `case`: the record's own `case` attribute


def locked(record, expected_version=None, noun="record", related=()):
    """A current copy of the record under a row lock; refused if it moved since loading."""
    query = type(record).objects.select_for_update(of=("self",))
    if related:
        query = query.select_related(*related)
    current = query.get(pk=record.pk)
    expected = record.version if expected_version is None else expected_version
    if current.version != expected:
        raise ChangedUnderYou(
            f"This {noun} changed while you were working on it: it is now "
            f"“{current.get_state_display().lower()}”. Your change was not saved; reload "
            "the page to see the latest version."
        )
    return current


def save_version(record, *, by, reason, noun="record"):
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


def record_create(record, *, case, by, reason="", transition="create"):
    """Save a new record and record its first state (a clock may start from it)."""
    from referrals.services import record_transition

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
    name,
    by,
    case=CASE,
    reason="",
    expected_version=None,
    check=None,
    before=None,
    after=None,
    noun="record",
    related=(),
):
    """Run transition `name` on a locked, current copy of `record`. `check(by, current)`
    refuses a person who may not act; `before(current)` makes the transition's changes;
    `after(current)` runs once it is saved. All in one transaction, or nothing."""
    from referrals.services import record_transition

    with transaction.atomic():
        current = locked(record, expected_version, noun, related)
        if check:
            check(by, current)
        method = getattr(current, name)
        if not can_proceed(method):
            raise NotAllowed(
                f"A {noun} that is “{current.get_state_display().lower()}” cannot do that now."
            )
        if before:
            before(current)
        from_state = current.state
        method()
        save_version(current, by=by, reason=reason or name.replace("_", " "), noun=noun)
        record_transition(
            case=current.case if case is CASE else case,
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
    change,
    expected_version=None,
    reason="",
    check=None,
    noun="record",
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


def record_update(record, *, by, fields, expected_version=None, reason="", noun="record"):
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
