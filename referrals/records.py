"""The one way a record that hangs off a case (a risk assessment, a plan, an action, a
pathway's work item) changes state: lock it, check it has not moved since the person loaded
it, run its FSM transition, save with history, and record who/from/to/why, which also starts
and stops its clocks. Callers check who may act before calling."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed

from referrals.errors import ChangedUnderYou, Incomplete, NotAllowed


def _save(record, *, by, reason):
    record.version += 1
    record._history_user = by
    record._change_reason = reason[:100] if reason else None
    try:
        record.save()
    except ConcurrentTransition as exc:
        raise ChangedUnderYou(
            "Someone else changed this at the same moment. Your change was not saved; "
            "reload the page to see the latest version."
        ) from exc


def record_create(record, *, case, by, reason="", transition="create"):
    """Save a new record and record its first state (a clock may start from it)."""
    from referrals.services import record_transition

    with transaction.atomic():
        record._history_user = by
        record._change_reason = reason[:100] if reason else None
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


def locked(record, expected_version=None, noun="record"):
    """A current copy of the record under a row lock; refused if it moved since loading."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    expected = record.version if expected_version is None else expected_version
    if current.version != expected:
        raise ChangedUnderYou(
            f"This {noun} changed while you were working on it. Your change was not saved; "
            "reload the page to see the latest version."
        )
    return current


def record_transition_run(
    record, *, case, name, by, reason="", expected_version=None, before=None, noun="record"
):
    """Run transition `name` on a locked, current copy of `record`. `before(current)` makes
    the transition's changes (and may refuse with a CaseError) inside the transaction."""
    from referrals.services import record_transition

    with transaction.atomic():
        current = locked(record, expected_version, noun)
        method = getattr(current, name)
        if not can_proceed(method):
            raise NotAllowed(
                f"A {noun} that is “{current.get_state_display().lower()}” cannot do that now."
            )
        if before:
            before(current)
        from_state = current.state
        method()
        _save(current, by=by, reason=reason or name.replace("_", " "))
        record_transition(
            case=case,
            subject=current,
            transition=name,
            from_state=from_state,
            to_state=current.state,
            by=by,
            reason=reason,
        )
    return current


def record_update(record, *, by, fields, expected_version=None, reason="", noun="record"):
    """Save edits to a record's fields (no change of state), refusing a stale copy."""
    with transaction.atomic():
        current = locked(record, expected_version, noun)
        for name, value in fields.items():
            setattr(current, name, value)
        try:
            current.full_clean(exclude=["state"])
        except ValidationError as exc:
            raise Incomplete("Check the answers marked below", exc.message_dict) from exc
        _save(current, by=by, reason=reason or "edited")
    return current
