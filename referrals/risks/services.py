"""Every write to a risk assessment. Sexual violence needs an immediate risk and needs
assessment from the moment the referral arrives; exploitation its own; other harm is
considered case by case and the decision recorded. Completed assessments are reviewed on
their clock until closed, and every review is kept."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create, record_transition_run
from notifications.models import Deadline, DeadlineStatus, OwnerRole
from referrals.choices import ConcernType, ReferralState
from referrals.permissions import is_case_worker, is_school_dsl
from referrals.risks.models import (
    CompletedBy,
    Measure,
    RiskAssessment,
    RiskKind,
    RiskLevel,
    RiskReview,
    RiskState,
)

EXPLOITATION = {ConcernType.CSE, ConcernType.CCE}
CLOSED_CASE_STATES = {ReferralState.WITHDRAWN, ReferralState.REDIRECTED, ReferralState.CLOSED}
ASSESSMENT_FIELDS = [
    "victim",
    "other_victims",
    "alleged_perpetrators",
    "others",
    "time_and_place",
    "place_safety",
    "measures",
    "measures_detail",
    "professional_assessments",
    "risk_level",
    "risk_reasons",
    "review_on",
]


def may_assess(user, case):
    """The school's DSLs (who complete the immediate assessment) and the case workers."""
    return is_school_dsl(user, case) or is_case_worker(user, case)


def _check_may(user, case):
    if not may_assess(user, case):
        raise NotAllowed("Only the school's DSLs and the case's practitioners can do that.")


def risks_on_submit(*, referral, by):
    """Start the risk assessments a new referral needs, with their clocks."""
    concerns = set(referral.concern_types or [])
    made = []
    if ConcernType.SEXUAL_VIOLENCE in concerns:
        made.append(
            _start(
                referral,
                RiskKind.IMMEDIATE,
                by,
                "The referral reports sexual violence: an immediate risk and needs "
                "assessment is required (DfE advice, para 58).",
            )
        )
    if concerns & EXPLOITATION:
        made.append(
            _start(
                referral,
                RiskKind.EXPLOITATION,
                by,
                "The referral reports child sexual or criminal exploitation: an exploitation "
                "risk assessment is required.",
            )
        )
    return made


def _start(case, kind, by, reason):
    assessment = RiskAssessment(case=case, kind=kind, created_by=by, reason=reason)
    return record_create(assessment, case=case, by=by, reason=reason, transition="require")


def risk_consider(*, case, by, needed, reason):
    """For harm other than sexual violence: record whether a risk assessment is needed and
    why. Needed starts one; not needed is kept as a decision with its reason."""
    _check_may(by, case)
    if case.submitted_at is None or case.state in CLOSED_CASE_STATES:
        raise NotAllowed("Risk assessments are recorded on a submitted, open referral.")
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete("Say why", {"reason": "Say why a risk assessment is or is not needed"})
    with transaction.atomic():
        assessment = _start(case, RiskKind.CASE_BY_CASE, by, reason)
        if not needed:
            assessment = record_transition_run(
                assessment,
                case=case,
                name="find_not_required",
                by=by,
                reason=reason,
                noun="risk assessment",
            )
    return assessment


def _check_answers(values):
    problems = {}
    if not values.get("risk_level"):
        problems["risk_level"] = "Choose the risk level"
    elif values["risk_level"] not in RiskLevel.values:
        problems["risk_level"] = "Choose a risk level from the list"
    if not (values.get("risk_reasons") or "").strip():
        problems["risk_reasons"] = "Give the reasons for the risk level"
    if not (values.get("victim") or "").strip():
        problems["victim"] = "Say what the victim needs and wants"
    unknown = set(values.get("measures") or []) - set(Measure.values)
    if unknown:
        problems["measures"] = "Choose measures from the list"
    if not values.get("measures"):
        problems["measures"] = "Choose at least one measure (or Other, and describe it)"
    if not values.get("review_on"):
        problems["review_on"] = "Enter the next review date"
    elif values["review_on"] <= timezone.localdate():
        problems["review_on"] = "The next review date must be in the future"
    if problems:
        raise Incomplete("Complete the risk assessment", problems)


def _review_date_within_clock(field):
    """The date people set for the next review may be sooner than the review clock, never
    later: checked against the clock the transition has just started, so the catalogue
    stays the one place that knows the period (refusing rolls the whole change back)."""

    def check(current):
        clock = Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(current),
            subject_id=current.pk,
            status=DeadlineStatus.RUNNING,
            timescale__key="risk_assessment_review",
        ).first()
        if clock is not None and current.review_on > timezone.localdate(clock.due_at):
            raise Incomplete(
                "Set an earlier review date",
                {
                    field: f"Review it by {timezone.localdate(clock.due_at):%-d %B %Y} at the "
                    f"latest: risk assessments are reviewed every {clock.timescale.period} "
                    "working days"
                },
            )

    return check


def _then(*steps):
    def run(current):
        for step in steps:
            step(current)

    return run


def risk_complete(*, assessment, by, values, expected_version=None):
    """Record the assessment (who is at risk, measures, level and reasons, review date).
    Stops its first clock and starts the review clock."""
    case = assessment.case
    _check_may(by, case)
    _check_answers(values)

    def fill(current):
        for name in ASSESSMENT_FIELDS:
            if name in values:
                setattr(current, name, values[name])
        current.completed_by = by
        current.completed_at = timezone.now()
        current.completed_by_role = (
            CompletedBy.PRACTITIONER if is_case_worker(by, case) else CompletedBy.SCHOOL
        )

    return record_transition_run(
        assessment,
        case=case,
        name="complete",
        by=by,
        reason=f"Completed: risk {RiskLevel(values['risk_level']).label.lower()}. "
        f"{values.get('risk_reasons', '')}"[:300],
        expected_version=expected_version,
        before=fill,
        after=_then(_review_date_within_clock("review_on"), _with_the_school_if_redirected),
        noun="risk assessment",
    )


def risk_review(
    *,
    assessment,
    by,
    risk_level,
    measures,
    what_changed,
    young_people_say,
    next_review_on,
    expected_version=None,
):
    """A review: kept as its own record; the assessment takes the new level and measures and
    the review clock restarts."""
    case = assessment.case
    _check_may(by, case)
    problems = {}
    if risk_level not in RiskLevel.values:
        problems["risk_level"] = "Choose the risk level now"
    if not (what_changed or "").strip():
        problems["what_changed"] = "Say what has changed since the last review"
    if set(measures or []) - set(Measure.values):
        problems["measures"] = "Choose measures from the list"
    if not next_review_on or next_review_on <= timezone.localdate():
        problems["next_review_on"] = "Enter a next review date in the future"
    if problems:
        raise Incomplete("Complete the review", problems)

    def keep(current):
        RiskReview.objects.create(
            assessment=current,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            risk_level=risk_level,
            measures=list(measures or []),
            what_changed=what_changed.strip(),
            young_people_say=(young_people_say or "").strip(),
            next_review_on=next_review_on,
        )
        current.risk_level = risk_level
        current.measures = list(measures or [])
        current.review_on = next_review_on

    return record_transition_run(
        assessment,
        case=case,
        name="review",
        by=by,
        reason=f"Reviewed: risk now {RiskLevel(risk_level).label.lower()}. {what_changed}"[:300],
        expected_version=expected_version,
        before=keep,
        after=_then(_review_date_within_clock("next_review_on"), _with_the_school_if_redirected),
        noun="risk assessment",
    )


def may_close(assessment):
    """An immediate assessment is never closed without being done."""
    return not (assessment.state == RiskState.REQUIRED and assessment.kind == RiskKind.IMMEDIATE)


def risk_close(*, assessment, by, reason, expected_version=None):
    case = assessment.case
    _check_may(by, case)
    reason = (reason or "").strip()
    if not reason:
        raise Incomplete("Say why", {"reason": "Say why the risk assessment can close"})
    if not may_close(assessment):
        raise NotAllowed(
            "An immediate risk and needs assessment must be completed before it can close."
        )

    def note(current):
        current.closed_reason = reason

    return record_transition_run(
        assessment,
        case=case,
        name="close",
        by=by,
        reason=reason,
        expected_version=expected_version,
        before=note,
        noun="risk assessment",
    )


OPEN_STATES = [RiskState.REQUIRED, RiskState.COMPLETED]


def outlives_the_case(referral) -> bool:
    """A redirect ends the context referral, not the school's duty to keep the child safe: an
    open risk assessment stays open, with the school's DSLs. Every other ending closes it."""
    return referral.state == ReferralState.REDIRECTED


def clocks_kept(referral) -> list[int]:
    """The running clocks of the case's risk assessments that outlive its ending (their ids):
    the ending stops every other clock of the case (referrals.services.run_transition)."""
    if not outlives_the_case(referral):
        return []
    return list(
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(RiskAssessment),
            subject_id__in=referral.risk_assessments.filter(state__in=OPEN_STATES).values("pk"),
            status=DeadlineStatus.RUNNING,
        ).values_list("pk", flat=True)
    )


def _school_keeps(assessment) -> None:
    """After a redirect the assessment's running clocks belong to the school's DSLs: nobody
    else works the case any more (a lead-owned review clock would reach nobody)."""
    Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(assessment),
        subject_id=assessment.pk,
        status=DeadlineStatus.RUNNING,
    ).exclude(owner_role=OwnerRole.DSL, owner__isnull=True).update(
        owner_role=OwnerRole.DSL, owner=None, team=None, school_id=assessment.case.school_id
    )


def _with_the_school_if_redirected(current) -> None:
    if outlives_the_case(current.case):
        _school_keeps(current)


def risks_stop(*, referral, by, reason: str) -> None:
    """The case ended (casework.pathways.case_ended, in the ending's transaction): every
    risk assessment still required or under review closes, with the reason, and its clock
    stops. Nobody would be reminded of it any more, so it must not look open. A redirect is
    the exception (outlives_the_case): the assessment stays open and its clocks pass to the
    school's DSLs."""
    open_assessments = referral.risk_assessments.filter(state__in=OPEN_STATES)
    if outlives_the_case(referral):
        for assessment in open_assessments:
            _school_keeps(assessment)
        return
    for assessment in open_assessments:

        def note(current):
            current.closed_reason = reason[:3000]

        record_transition_run(
            assessment,
            case=referral,
            name="close",
            by=by,
            reason=reason,
            before=note,
            noun="risk assessment",
        )
