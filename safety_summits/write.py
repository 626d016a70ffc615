"""The mechanics every write to an Early Help record shares (a School Partnership Meeting:
safety_summits.services and .outcomes; a Student Safety Summit: safety_summits.summit):
who runs it, validation, and the record's calls of the one runner (casework.runner)."""

from django.core.exceptions import ValidationError

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_edit, record_transition_run
from safety_summits import permissions

RELATED = ("referral__school__authority",)
NOUN = "partnership meeting"
NOUNS = {"schoolpartnershipmeeting": NOUN, "safetysummit": "safety summit"}


def noun(record) -> str:
    return NOUNS[record._meta.model_name]


def check_runner(by, current):
    # Both records have a lead and a case, so one rule serves both.
    if not permissions.may_run(by, current):
        raise NotAllowed(
            f"Only its lead and the case's allocated team can do that for this {noun(current)}."
        )


def clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=["state", *exclude])
    except ValidationError as exc:
        raise Incomplete("Check your answers", exc.message_dict) from exc


def require_reason(reason, field="reason", message="Enter the reason"):
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete(message, {field: [message]})
    return reason


def transition(record, *, name, by, reason, expected_version=None, check=check_runner, **kw):
    return record_transition_run(
        record,
        name=name,
        by=by,
        case=record.referral,
        reason=reason,
        expected_version=expected_version,
        check=check,
        noun=noun(record),
        related=RELATED,
        **kw,
    )


def edit(record, *, by, change, reason, expected_version=None, check=check_runner):
    return record_edit(
        record,
        by=by,
        change=change,
        expected_version=expected_version,
        reason=reason,
        check=check,
        noun=noun(record),
        related=RELATED,
    )


def stop_open(records, *, referral, by, reason: str) -> None:
    """The pathway changed or the case ended: each open record stops with the reason (its
    clocks cancelled), in the decision's or the ending's transaction."""
    for record in records:

        def keep(current, reason=reason):
            current.end_reason = reason

        record_transition_run(
            record,
            name="stop",
            by=by,
            case=referral,
            reason=reason,
            before=keep,
            noun=noun(record),
            related=RELATED,
        )


# --- the actions a meeting or summit agrees, which become the case plan ------------------


def action_problems(*, what, why, owner, owner_contact, due_on) -> dict[str, list[str]]:
    from casework.validators import due_date_problem

    problems = {}
    if not (what or "").strip():
        problems["what"] = ["Say what will be done"]
    if not (why or "").strip():
        problems["why"] = ["Say which concern it answers"]
    if owner is None and not (owner_contact or "").strip():
        problems["owner"] = ["Choose the owner, or name a contact who does not use the service"]
    if due_on is None:
        problems["due_on"] = ["Enter the due date"]
    elif due_date_problem(due_on):
        problems["due_on"] = [due_date_problem(due_on)]
    return problems


def actions_into_plan(current, *, by, reason: str) -> None:
    """The record's agreed actions join the case plan (opened if need be: the plan-agreed
    clock starts), each linked to the plan action it became."""
    from referrals.plans import services as plan_services

    plan = plan_services.plan_open(case=current.referral, by=by, reason=reason)
    for row in current.actions.select_related("owner"):
        action = plan_services.action_add(
            plan=plan,
            by=by,
            what=row.what,
            why=row.why,
            due_on=row.due_on,
            owner=row.owner,
            owner_contact=row.owner_contact,
        )
        type(row).objects.filter(pk=row.pk).update(plan_action=action)
