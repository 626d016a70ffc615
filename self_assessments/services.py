"""Every write to a self-assessment audit. Each function checks who may act, locks the row,
refuses a stale edit (`version`), runs the FSM transition, records it with
casework.runner.record_transition (which starts and stops the pathway's clock) and saves,
in one transaction. Views, commands and the pathway receiver call these; nothing else sets
state."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import locked, record_create, record_transition_run, save_version
from casework.validators import plain_text
from referrals.models import SchoolReferral
from referrals.notify import work_allocated
from referrals.services import case_work_start
from self_assessments import instruments
from self_assessments.gaps import check_actions, gap_action_add
from self_assessments.models import (
    COMPLETED_STATES,
    Answer,
    Audience,
    Item,
    SelfAssessment,
    SelfAssessmentState,
)
from self_assessments.permissions import (
    is_partnership_member,
    may_close,
    may_contribute,
    may_review,
    must_review_before_closing,
)
from self_assessments.scoring import results

S = SelfAssessmentState
NOTE_MAX = 5000


# --- starting an audit ----------------------------------------------------------------------


def _previous(*, instrument, school=None, authority=None):
    """The last completed audit of the same school (or partnership) with the same
    instrument, to compare with. One the panel stopped before it was submitted (closed with
    no submitted_at) is not completed: it would sort first, its NULL above every date."""
    audits = SelfAssessment.objects.filter(
        instrument__key=instrument.key, state__in=COMPLETED_STATES, submitted_at__isnull=False
    )
    if school is not None:
        audits = audits.filter(school=school)
    else:
        audits = audits.filter(case__isnull=True, authority=authority)
    return audits.order_by("-submitted_at", "-pk").first()


def _create(assessment, *, by, reason):
    assessment.created_at = timezone.now()
    return record_create(assessment, case=assessment.case, by=by, reason=reason, transition="start")


def self_assessment_start_for_pathway(*, referral, decision, by):
    """The panel decided "school supported to complete a Beyond Referrals assessment": the
    school's self-assessment starts, in progress, with its clock (owned by the DSLs). Called
    in the decision's transaction. A step up or down that keeps the pathway keeps the audit
    already open."""
    open_audit = SelfAssessment.objects.filter(
        case=referral, state__in=[S.IN_PROGRESS, S.SUBMITTED]
    ).first()
    if open_audit is not None:
        return open_audit
    school = referral.school
    instrument = instruments.pathway_instrument(school.authority)
    if instrument is None:  # the bundled instruments ship with the app: never expected
        raise NotAllowed("No Beyond Referrals instrument is loaded.")
    assessment = SelfAssessment(
        instrument=instrument,
        authority=school.authority,
        case=referral,
        school=school,
        title=f"{school.name}: {instrument.short_name}",
        previous=_previous(instrument=instrument, school=school),
        created_by=by,
    )
    reason = f"Context panel decision: {decision.get_pathway_display()}"
    assessment = _create(assessment, by=by, reason=reason)
    # The hand-off: the lead (or, with only a team named, its managers) supports the school
    # through it and reviews it once submitted (its own clock).
    work_allocated(
        referral,
        decision.lead_practitioner,
        what=f"the supported self-assessment of {school.name}",
        body=f"The context panel decided on {referral}: {school.name} completes a Beyond "
        "Referrals self-assessment, supported by you. Its designated safeguarding leads have "
        "started it; once they submit it, review it with the school and turn its gaps into "
        "actions on the case plan.",
        url=assessment.get_absolute_url(),
    )
    return assessment


def self_assessment_stop(*, referral, by, reason: str) -> None:
    """The case moves to another pathway (the panel's new decision) or ends: the school's
    unfinished self-assessment stops (closed, its clock cancelled) with the reason. Called
    in the transaction of the decision or the ending, which is the authority to act."""
    for audit in SelfAssessment.objects.filter(
        case=referral, state__in=[S.IN_PROGRESS, S.SUBMITTED]
    ):
        record_transition_run(
            audit, name="stop", by=by, reason=reason, noun="self-assessment", related=RELATED
        )


def partnership_audit_start(*, authority, instrument, by, title=""):
    """A partnership (a local authority and its partner agencies) starts an audit."""
    if not is_partnership_member(by, authority.pk):
        raise NotAllowed(
            "Only the partnership's members (front door, partner agencies and "
            "administrators of the authority) can start its audits."
        )
    if instrument is None:
        raise Incomplete("Choose an audit", {"instrument": ["Choose which audit to complete"]})
    if instrument.audience != Audience.PARTNERSHIP or instrument.authority_id not in (
        None,
        authority.pk,
    ):
        raise Incomplete(
            "Choose a partnership audit",
            {"instrument": ["That instrument is not a partnership audit of this authority"]},
        )
    title = (title or "").strip() or (
        f"{authority.name} partnership: {instrument.short_name}, {timezone.localdate():%B %Y}"
    )
    assessment = SelfAssessment(
        instrument=instrument,
        authority=authority,
        title=title,
        previous=_previous(instrument=instrument, authority=authority),
        created_by=by,
    )
    try:
        assessment.full_clean(exclude=["state", "created_at"])
    except ValidationError as exc:
        raise Incomplete("Check the title", exc.message_dict) from exc
    with transaction.atomic():
        return _create(assessment, by=by, reason="partnership audit started")


# --- one transition, locked and checked -------------------------------------------------------


RELATED = ("instrument", "case__school", "school", "authority")


def _locked(assessment, expected_version):
    return locked(assessment, expected_version, "self-assessment", RELATED)


def _transition(assessment, *, name, by, allowed, refusal, reason, expected_version, before=None):
    def check(by, current):
        if not allowed(by, current):
            raise NotAllowed(refusal)

    return record_transition_run(
        assessment,
        name=name,
        by=by,
        reason=reason,
        expected_version=expected_version,
        check=check,
        before=before,
        noun="self-assessment",
        related=RELATED,
    )


# --- answering ---------------------------------------------------------------------------------


def answers_save(*, assessment, by, answers, expected_version=None):
    """Save some items' answers (partial progress saves). `answers` maps an Item (or its pk)
    to {"choice": scale key or "", "evidence": [method keys], "note": text}. Only changed
    answers are written, each attributed to `by` in its history. Problems are keyed
    `item-<pk>-choice`, `item-<pk>-evidence`, `item-<pk>-note`."""
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        if not may_contribute(by, current):
            raise NotAllowed("You do not have permission to answer this self-assessment.")
        if current.state != S.IN_PROGRESS:
            raise NotAllowed(
                f"This self-assessment is “{current.get_state_display()}”: its answers can no "
                "longer change."
            )
        instrument = current.instrument
        ids = {getattr(key, "pk", key) for key in answers}
        items = {i.pk: i for i in Item.objects.filter(instrument=instrument, pk__in=ids)}
        if len(items) != len(ids):
            raise NotAllowed("Those answers are for items of another instrument.")
        methods = {m["key"] for m in instrument.evidence_methods}
        problems, cleaned = {}, {}
        for key, given in answers.items():
            item = items[getattr(key, "pk", key)]
            prefix = f"item-{item.pk}"
            choice = (given.get("choice") or "").strip()
            evidence = list(dict.fromkeys(given.get("evidence") or []))
            note = (given.get("note") or "").strip()
            if choice and instrument.level(choice) is None:
                problems[f"{prefix}-choice"] = [f"Choose one of the levels for {item.label}"]
            unknown = [e for e in evidence if e not in methods]
            if unknown:
                problems[f"{prefix}-evidence"] = [
                    f"Choose evidence methods from the list for {item.label}"
                ]
            if len(note) > NOTE_MAX:
                problems[f"{prefix}-note"] = [
                    f"The note for {item.label} must be {NOTE_MAX} characters or fewer"
                ]
            try:
                plain_text(note)
            except ValidationError as exc:
                problems[f"{prefix}-note"] = [f"{item.label}: {m}" for m in exc.messages]
            cleaned[item.pk] = (item, choice, evidence, note)
        if problems:
            raise Incomplete("Check your answers", problems)
        existing = {a.item_id: a for a in Answer.objects.filter(assessment=current)}
        now = timezone.now()
        changed = 0
        for item_pk, (item, choice, evidence, note) in cleaned.items():
            answer = existing.get(item_pk)
            if answer is None:
                if not (choice or evidence or note):
                    continue
                answer = Answer(assessment=current, item=item)
            elif (answer.choice, answer.evidence, answer.note) == (choice, evidence, note):
                continue
            answer.choice = choice
            answer.score = instrument.level(choice)["value"] if choice else None
            answer.evidence = evidence
            answer.note = note
            answer.answered_by = by
            answer.answered_at = now
            answer._history_user = by
            answer.save()
            changed += 1
        if changed:
            save_version(
                current,
                by=by,
                reason=f"{changed} answer{'s' if changed != 1 else ''} saved",
                noun="self-assessment",
            )
            if current.is_pathway:
                # The school's work has started: the case moves from decided to in progress.
                case_work_start(referral=SchoolReferral.objects.get(pk=current.case_id), by=by)
    return current


def missing_problems(assessment):
    """What must still be answered, keyed like answers_save's problems."""
    return {
        f"item-{item.pk}-choice": [f"Answer {item.label}"] for item in results(assessment).missing
    }


def self_assessment_submit(*, assessment, by, expected_version=None):
    """Submit a completed audit: refused, listing each unanswered item, until every item is
    answered. Stops the pathway's clock (met)."""

    def every_item_answered(current):
        problems = missing_problems(current)
        if problems:
            raise Incomplete(
                f"{len(problems)} item{'s are' if len(problems) != 1 else ' is'} not answered "
                "yet: answer every item before submitting",
                problems,
            )
        current.submitted_at = timezone.now()
        current.submitted_by = by

    return _transition(
        assessment,
        name="submit",
        by=by,
        allowed=may_contribute,
        refusal="You do not have permission to submit this self-assessment.",
        reason="self-assessment submitted",
        expected_version=expected_version,
        before=every_item_answered,
    )


def self_assessment_review(*, assessment, by, note, actions=(), expected_version=None):
    """The practitioner reviews a school's submitted self-assessment with the school and
    turns gaps into actions on the case plan, in one transaction. `actions` is a list of
    {"item", "what", "due_on", "owner", "owner_contact"}."""
    note = (note or "").strip()
    if not note:
        raise Incomplete("Enter what the review found", {"note": ["Enter what the review found"]})
    try:
        plain_text(note)
    except ValidationError as exc:
        raise Incomplete("Check the review note", {"note": exc.messages}) from exc
    check_actions(actions)

    def record_review(current):
        current.review_note = note
        current.reviewed_at = timezone.now()
        current.reviewed_by = by

    with transaction.atomic():
        current = _transition(
            assessment,
            name="review",
            by=by,
            allowed=may_review,
            refusal="Only the lead practitioner or their team can review the school's "
            "self-assessment.",
            reason=note,
            expected_version=expected_version,
            before=record_review,
        )
        for action in actions:
            gap_action_add(assessment=current, by=by, **action)
    return current


def self_assessment_close(*, assessment, by, reason, expected_version=None):
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete("Enter why the audit is closing", {"reason": ["Enter a reason"]})

    def before(current):
        if must_review_before_closing(current):
            raise NotAllowed(
                "Review the school's self-assessment first: the review turns its gaps into "
                "actions on the case plan."
            )

    return _transition(
        assessment,
        name="close",
        before=before,
        by=by,
        allowed=may_close,
        refusal="You do not have permission to close this self-assessment.",
        reason=reason,
        expected_version=expected_version,
    )
