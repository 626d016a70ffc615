"""Every write to a case plan: opened when the pathway's work is done, actions with owners
and due dates (each a clock), agreed within 10 working days, reviewed at 3 months and then
every 6, and the case closed with its outcomes once nothing is left open without a reason."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create, record_transition_run, record_update
from casework.validators import due_date_problem
from notifications.services import notify_people
from referrals.choices import ReferralState
from referrals.permissions import is_case_worker
from referrals.plans.models import (
    ActionState,
    CaseOutcome,
    CasePlan,
    PlanAction,
    PlanReview,
    PlanState,
    ReviewDecision,
)
from referrals.risks.models import RiskState
from referrals.services import run_transition


def _check_case_worker(user, case, what="do that"):
    if not is_case_worker(user, case):
        raise NotAllowed(f"Only the lead practitioner and their team can {what}.")


def may_update_action(user, action):
    """The action's owner, or the case's lead and team."""
    return action.owner_id == user.pk or is_case_worker(user, action.plan.case)


def _required(values, messages):
    problems = {
        name: message
        for name, message in messages.items()
        if not (str(values.get(name) or "")).strip()
    }
    if problems:
        raise Incomplete("Answer the questions marked below", problems)


def open_plan(case):
    return case.plans.exclude(state=PlanState.CLOSED).first()


def plan_open(*, case, by, reason):
    """The case's open plan, or a new one being agreed (its plan-agreed clock starts).
    Pathway services call this, in their transaction, when their work is done."""
    _check_case_worker(by, case, "start the plan")
    existing = open_plan(case)
    if existing is not None:
        return existing
    plan = CasePlan(case=case, created_by=by, origin=(reason or "")[:200])
    try:
        with transaction.atomic():
            return record_create(plan, case=case, by=by, reason=reason, transition="open")
    except IntegrityError:  # someone opened it at the same moment: use theirs
        return open_plan(case)


def plan_update(*, plan, by, aims, agreed_with="", expected_version=None):
    _check_case_worker(by, plan.case, "change the plan")
    if plan.state == PlanState.CLOSED:
        raise NotAllowed("This plan is closed.")
    return record_update(
        plan,
        by=by,
        fields={"aims": (aims or "").strip(), "agreed_with": (agreed_with or "").strip()},
        expected_version=expected_version,
        noun="plan",
    )


def action_add(*, plan, by, what, why, due_on, owner=None, owner_contact=""):
    """Add an action; its clock runs to its own due date and reminds its owner."""
    case = plan.case
    _check_case_worker(by, case, "add actions to the plan")
    if plan.state == PlanState.CLOSED:
        raise NotAllowed("This plan is closed: actions cannot be added to it.")
    values = {"what": what, "why": why, "due_on": due_on}
    _required(
        values,
        {
            "what": "Say what will be done",
            "why": "Say which finding or concern it answers",
            "due_on": "Enter the due date",
        },
    )
    owner_contact = (owner_contact or "").strip()
    if owner is None and not owner_contact:
        raise Incomplete(
            "Say who owns the action",
            {"owner": "Choose the owner, or name a contact at a partner agency or the school"},
        )
    if due_date_problem(due_on):
        raise Incomplete("Check the due date", {"due_on": due_date_problem(due_on)})
    action = PlanAction(
        plan=plan,
        what=what.strip(),
        why=why.strip(),
        owner=owner,
        owner_contact="" if owner else owner_contact,
        due_on=due_on,
        created_by=by,
    )
    with transaction.atomic():
        action = record_create(
            action, case=case, by=by, reason=f"Action added: {action.what}"[:300], transition="add"
        )
        if owner is not None and owner.pk != by.pk:
            notify_people(
                user_ids=[owner.pk],
                title=f"An action for you on the plan for {case.reference}",
                body=f"{action.what} (due {due_on:%d %B %Y}). Open it to record progress.",
                url=action.get_absolute_url(),
                kind="action",
            )
    return action


def _check_may_update(user, action):
    if not may_update_action(user, action):
        raise NotAllowed("Only the action's owner and the case's practitioners can change it.")
    if action.state != ActionState.OPEN:
        raise NotAllowed("This action is finished: it cannot change.")


def _note(by, text):
    name = by.get_full_name() or by.email
    return f"{timezone.localdate():%d %b %Y}, {name}: {text.strip()}"


def action_progress(*, action, by, note, evidence_of_impact=None, expected_version=None):
    """Add a dated progress note (kept with who wrote it) and, optionally, evidence."""
    _check_may_update(by, action)
    _required({"note": note}, {"note": "Write the progress note"})
    fields = {"progress": "\n".join(filter(None, [action.progress, _note(by, note)]))}
    if (evidence_of_impact or "").strip():
        fields["evidence_of_impact"] = evidence_of_impact.strip()
    return record_update(
        action, by=by, fields=fields, expected_version=expected_version, noun="action"
    )


def action_done(*, action, by, evidence_of_impact, note="", expected_version=None):
    """Done, with the evidence of its impact: its clock stops."""
    _check_may_update(by, action)
    _required(
        {"evidence_of_impact": evidence_of_impact},
        {"evidence_of_impact": "Say what difference it made (the evidence of impact)"},
    )

    def finish(current):
        current.evidence_of_impact = evidence_of_impact.strip()
        if (note or "").strip():
            current.progress = "\n".join(filter(None, [current.progress, _note(by, note)]))

    return record_transition_run(
        action,
        case=action.plan.case,
        name="mark_done",
        by=by,
        reason=f"Done. Evidence of impact: {evidence_of_impact.strip()}"[:300],
        expected_version=expected_version,
        before=finish,
        noun="action",
    )


def action_close(*, action, by, reason, expected_version=None):
    """Closed without being done, with the reason (the lead and team only)."""
    _check_case_worker(by, action.plan.case, "close an action that is not done")
    _required({"reason": reason}, {"reason": "Say why the action closes without being done"})

    def note(current):
        current.closed_reason = reason.strip()

    return record_transition_run(
        action,
        case=action.plan.case,
        name="close_undone",
        by=by,
        reason=reason.strip(),
        expected_version=expected_version,
        before=note,
        noun="action",
    )


def action_reschedule(*, action, by, due_on, reason, expected_version=None):
    """A new due date, with the reason; the action's clock restarts to it."""
    _check_case_worker(by, action.plan.case, "change an action's due date")
    _required(
        {"due_on": due_on, "reason": reason},
        {"due_on": "Enter the new due date", "reason": "Say why the date moves"},
    )
    if due_date_problem(due_on):
        raise Incomplete("Check the due date", {"due_on": due_date_problem(due_on)})

    def move(current):
        current.due_on = due_on

    return record_transition_run(
        action,
        case=action.plan.case,
        name="reschedule",
        by=by,
        reason=f"Due date moved to {due_on:%d %b %Y}: {reason.strip()}"[:300],
        expected_version=expected_version,
        before=move,
        noun="action",
    )


def plan_agree(*, plan, by, agreed_with, expected_version=None):
    """The plan agreed (its clock met): the first review falls due 3 months later and the
    case moves to review."""
    case = plan.case
    _check_case_worker(by, case, "agree the plan")
    _required(
        {"agreed_with": agreed_with, "aims": plan.aims},
        {
            "agreed_with": "Say who agreed the plan",
            "aims": "Say what the plan is for before it is agreed",
        },
    )
    if not plan.actions.filter(state=ActionState.OPEN).exists():
        raise Incomplete(
            "A plan needs at least one open action before it is agreed",
            {"actions": "Add at least one action, with its owner and due date"},
        )

    def agree(current):
        current.agreed_with = agreed_with.strip()
        current.agreed_by = by
        current.agreed_at = timezone.now()

    with transaction.atomic():
        plan = record_transition_run(
            plan,
            case=case,
            name="agree",
            by=by,
            reason=f"Plan agreed with {agreed_with.strip()}"[:300],
            expected_version=expected_version,
            before=agree,
            noun="plan",
        )
        if case.state in (ReferralState.DECIDED, ReferralState.IN_PROGRESS):
            run_transition(
                case,
                name="begin_review",
                action="lead_work",
                by=by,
                reason="The plan is agreed; it is reviewed until the case closes.",
            )
    return plan


def plan_review(
    *, plan, by, young_people_say, decision, reason, progress=None, expected_version=None
):
    """A review: progress per action as it stands, what young people now say, and the
    decision. The review clock restarts (six-monthly after the first), except when the review
    decides to close the case: the plan is then "to close", no review falls due, and the
    closure clock runs until the case closes with its outcomes. Stepping up or down sends the
    case back to its panel for a new threshold decision."""
    case = plan.case
    _check_case_worker(by, case, "review the plan")
    _required(
        {"young_people_say": young_people_say, "decision": decision, "reason": reason},
        {
            "young_people_say": "Record what young people now say about safety",
            "decision": "Choose the review's decision",
            "reason": "Give the reasons for the decision",
        },
    )
    if decision not in ReviewDecision.values:
        raise Incomplete("Choose a decision", {"decision": "Choose a decision from the list"})
    back_to_panel = decision in (ReviewDecision.STEP_UP, ReviewDecision.STEP_DOWN)
    if back_to_panel and case.panel_id is None:
        raise NotAllowed("This case has no panel to go back to.")
    progress = progress or {}

    def keep(current):
        snapshot = [
            {
                "action": a.pk,
                "what": a.what,
                "owner": a.owner_label,
                "state": a.get_state_display(),
                "progress": (progress.get(a.pk) or "").strip(),
            }
            for a in current.actions.select_related("owner")
        ]
        PlanReview.objects.create(
            plan=current,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            progress=snapshot,
            young_people_say=young_people_say.strip(),
            decision=decision,
            reason=reason.strip(),
        )

    label = ReviewDecision(decision).label
    closing = decision == ReviewDecision.CLOSE
    if closing and plan.state == PlanState.CLOSING:
        raise NotAllowed(
            "The last review already decided to close the case: close it with its outcomes."
        )
    with transaction.atomic():
        plan = record_transition_run(
            plan,
            case=case,
            # Closing leads to closure (its own clock), never to another review's clock.
            name="review_to_close" if closing else "review",
            by=by,
            reason=f"Reviewed: {label}. {reason.strip()}"[:300],
            expected_version=expected_version,
            before=keep,
            noun="plan",
        )
        if back_to_panel:
            run_transition(
                case,
                name="return_to_panel",
                action="lead_work",
                by=by,
                reason=f"{label} at the plan review: {reason.strip()}",
            )
    return plan


OUTCOME_QUESTIONS = {
    "what_changed": "Say what changed for young people at the school",
    "young_people_told": "Say how young people were told",
    "parents_told": "Say how parents were told",
    "school_community_told": "Say how the school community was told",
    "sustaining_safety": "Say how safety will be sustained",
}


def _review_decided_to_close(plan) -> bool:
    last_review = plan.reviews.order_by("-reviewed_at", "-pk").first() if plan else None
    return last_review is not None and last_review.decision == ReviewDecision.CLOSE


def may_close_case(user, case) -> bool:
    """Whether to offer "close the case": a case worker, the case under review, and the
    plan's last review decided to close it (case_close checks the same, and the rest)."""
    return (
        case.state == ReferralState.REVIEW
        and is_case_worker(user, case)
        and _review_decided_to_close(open_plan(case))
    )


def case_close(*, case, by, outcomes, closing_reasons=None, expected_version=None):
    """Close the case with its outcomes. The last plan review must have decided to close;
    an open action closes only with its own reason; no risk assessment may still be
    required. Everything closes in one transaction, or nothing does."""
    _check_case_worker(by, case, "close the case")
    _required(outcomes, OUTCOME_QUESTIONS)
    plan = open_plan(case)
    if not _review_decided_to_close(plan):
        raise NotAllowed("A case closes after a plan review decides to close it.")
    closing_reasons = {k: (v or "").strip() for k, v in (closing_reasons or {}).items()}
    open_actions = list(plan.actions.filter(state=ActionState.OPEN))
    missing = {
        f"close_{a.pk}": f"“{a.what}” is still open: say why it closes without being done"
        for a in open_actions
        if not closing_reasons.get(a.pk)
    }
    if missing:
        raise Incomplete("Each open action needs a reason to close", missing)
    if case.risk_assessments.filter(state=RiskState.REQUIRED).exists():
        raise NotAllowed("A risk assessment is still required: complete it or record why not.")

    def write_outcome(current):
        CaseOutcome.objects.create(
            case=current,
            recorded_by=by,
            recorded_at=timezone.now(),
            **{k: outcomes[k].strip() for k in OUTCOME_QUESTIONS},
        )

    with transaction.atomic():
        for action in open_actions:
            action_close(action=action, by=by, reason=closing_reasons[action.pk])
        for assessment in case.risk_assessments.filter(state=RiskState.COMPLETED):
            record_transition_run(
                assessment,
                case=case,
                name="close",
                by=by,
                reason="The case closed with its outcomes.",
                noun="risk assessment",
            )
        record_transition_run(
            plan, case=case, name="close", by=by, reason="The case closed.", noun="plan"
        )
        return run_transition(
            case,
            name="close_with_outcomes",
            action="lead_work",
            by=by,
            reason=f"Closed: {outcomes['what_changed'].strip()}"[:300],
            expected_version=expected_version,
            after=write_outcome,
        )


def plan_stop(*, referral, by, reason: str) -> None:
    """The case ended (casework.pathways.case_ended, in the ending's transaction, which is
    the authority to act): its open plan and every open action close, with the reason."""
    plan = open_plan(referral)
    if plan is None:
        return
    for action in plan.actions.filter(state=ActionState.OPEN):

        def note(current):
            current.closed_reason = reason[:1000]

        record_transition_run(
            action, case=referral, name="close_undone", by=by, reason=reason, before=note
        )
    record_transition_run(plan, case=referral, name="close", by=by, reason=reason, noun="plan")
