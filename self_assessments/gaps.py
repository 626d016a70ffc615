"""Gaps into plan actions: an item a self-assessment scored at or below the instrument's gap
level becomes an action on the case plan (a school's pathway audit) or on the partnership's
improvement plan, and the partnership marks its actions done."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create, record_transition_run
from casework.validators import due_date_problem, plain_text
from referrals.models import SchoolReferral
from referrals.plans import services as plan_services
from self_assessments.models import (
    COMPLETED_STATES,
    Answer,
    GapAction,
    ImprovementAction,
    ImprovementPlan,
    SelfAssessment,
)
from self_assessments.permissions import is_partnership_member, may_plan

WHAT_MAX = 300  # as the case plan's actions
WHY_MAX = 300


def check_actions(actions) -> None:
    """Refuse a review whose gap actions are incomplete, each problem at its field."""
    problems = {}
    for action in actions:
        problems.update(
            _action_problems(
                prefix=f"gap-{action['item'].pk}-",
                what=action.get("what"),
                due_on=action.get("due_on"),
                owner=action.get("owner"),
                owner_contact=action.get("owner_contact", ""),
            )
        )
    if problems:
        raise Incomplete("Check the plan actions", problems)


def _action_problems(*, prefix, what, due_on, owner, owner_contact):
    problems = {}
    if not (what or "").strip():
        problems[f"{prefix}what"] = ["Enter what will be done"]
    elif len(what.strip()) > WHAT_MAX:
        problems[f"{prefix}what"] = [f"Say what will be done in {WHAT_MAX} characters or fewer"]
    if due_on is None:
        problems[f"{prefix}due_on"] = ["Enter the date it is due"]
    elif due_date_problem(due_on):
        problems[f"{prefix}due_on"] = [due_date_problem(due_on)]
    if owner is None and not (owner_contact or "").strip():
        problems[f"{prefix}owner"] = ["Choose who owns the action, or name a contact"]
    for name, value in (("what", what), ("owner_contact", owner_contact)):
        try:
            plain_text(value or "")
        except ValidationError as exc:
            problems[f"{prefix}{name}"] = exc.messages
    return problems


def why_of(assessment, item, limit=WHY_MAX):
    """The action's reason: the item, the level the audit gave it, and its text (shortened
    to fit `limit`, with an ellipsis)."""
    answer = Answer.objects.filter(assessment=assessment, item=item).first()
    level = assessment.instrument.level(answer.choice) if answer and answer.choice else None
    rated = f"rated {level['label']}" if level else "not rated"
    why = (
        f"{assessment.instrument.short_name}, {assessment.instrument.item_label.lower()} "
        f"{item.label} ({item.section.title}): {rated}. {item.text}"
    )
    return why if len(why) <= limit else why[: limit - 1].rstrip() + "…"


def gap_action_add(*, assessment, item, by, what, due_on, owner=None, owner_contact=""):
    """Turn one gap (an item scored at or below the instrument's gap level) into a plan
    action: on the case plan for a school's pathway audit, on the partnership's improvement
    plan otherwise. The action's why is the item."""
    problems = _action_problems(
        prefix="", what=what, due_on=due_on, owner=owner, owner_contact=owner_contact
    )
    if problems:
        raise Incomplete("Check the plan action", problems)
    with transaction.atomic():
        current = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if not may_plan(by, current):
            raise NotAllowed(
                "Only the lead practitioner or their team can add actions to the case plan."
                if current.is_pathway
                else "Only the partnership's members can add to its improvement plan."
            )
        if current.state not in COMPLETED_STATES:
            raise NotAllowed("Gaps become plan actions once the self-assessment is submitted.")
        if item.instrument_id != current.instrument_id:
            raise NotAllowed("That item is not part of this self-assessment.")
        answer = Answer.objects.filter(assessment=current, item=item).first()
        if (
            answer is None
            or answer.score is None
            or answer.score > current.instrument.gap_at_or_below
        ):
            raise NotAllowed(f"{item.label} is not a gap in this self-assessment.")
        if GapAction.objects.filter(assessment=current, item=item).exists():
            raise NotAllowed(f"{item.label} has already been turned into a plan action.")
        why = why_of(current, item)
        what = what.strip()
        if current.is_pathway:
            action = _case_plan_action(
                current,
                by=by,
                what=what,
                why=why,
                due_on=due_on,
                owner=owner,
                owner_contact=(owner_contact or "").strip(),
            )
        else:
            plan, _ = ImprovementPlan.objects.get_or_create(authority=current.authority)
            action = ImprovementAction(
                plan=plan,
                assessment=current,
                item=item,
                what=what,
                why=why,
                owner=owner,
                owner_contact=(owner_contact or "").strip(),
                due_on=due_on,
                created_by=by,
                created_at=timezone.now(),
            )
            try:
                action.full_clean(exclude=["state"])
            except ValidationError as exc:
                raise Incomplete("Check the plan action", exc.message_dict) from exc
            action = record_create(
                action, case=None, by=by, reason=f"Action added: {what}"[:300], transition="add"
            )
        GapAction.objects.create(
            assessment=current,
            item=item,
            content_type=ContentType.objects.get_for_model(action),
            object_id=action.pk,
            created_by=by,
            created_at=timezone.now(),
        )
    return action


def _case_plan_action(assessment, *, by, what, why, due_on, owner, owner_contact):
    case = SchoolReferral.objects.get(pk=assessment.case_id)
    plan = plan_services.plan_open(
        case=case, by=by, reason=f"Gaps found by {assessment.instrument.short_name}"
    )
    return plan_services.action_add(
        plan=plan,
        by=by,
        what=what,
        why=why,
        due_on=due_on,
        owner=owner,
        owner_contact=owner_contact,
    )


def improvement_action_complete(*, action, by, note, expected_version=None):
    """Mark a partnership improvement action done, with what was achieved."""
    note = (note or "").strip()
    if not note:
        raise Incomplete("Enter what was done", {"note": ["Enter what was done"]})

    def check(by, current):
        if not is_partnership_member(by, current.plan.authority_id):
            raise NotAllowed("Only the partnership's members can update its improvement plan.")

    def done(current):
        current.completion_note = note
        current.completed_at = timezone.now()

    return record_transition_run(
        action,
        name="complete",
        by=by,
        case=None,
        reason=f"Done: {note}"[:300],
        expected_version=expected_version,
        check=check,
        before=done,
        noun="action",
        related=("plan",),
    )


def default_due_on(days=28):
    return timezone.localdate() + dt.timedelta(days=days)
