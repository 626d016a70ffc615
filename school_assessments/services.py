"""Every write to a School Assessment. Each function is keyword-only and does the whole job
in one transaction: re-reads the assessment under a row lock, refuses a stale edit
(`version`, docs/decisions/0002), checks who may act, runs the FSM transition or the edit,
records who, when and why (casework.runner.record_transition, which also starts and
stops the 45-working-day clock) and saves. Views, the demo and the panel's signal call
these; nothing else sets the state."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from casework.runner import record_create, record_edit, record_transition_run
from notifications.services import notify_people
from referrals.notify import work_allocated
from referrals.permissions import is_panel_member
from referrals.services import case_work_start
from school_assessments.choices import (
    EDITABLE_STATES,
    AssessmentState,
    Domain,
)
from school_assessments.completeness import (
    missing_for_completion,
    missing_for_findings,
    missing_for_sharing,
)
from school_assessments.models import (
    AssessmentDomain,
    SchoolAssessment,
)
from school_assessments.permissions import may_respond_for_school, may_work_on

A = AssessmentState
# The free-text sections of the workspace the lead and their team write.
SECTION_FIELDS = ["young_people_said", "involvement", "findings", "recommendations"]


# --- the mechanics shared by every write ------------------------------------------------


def _check_worker(by, current):
    if not may_work_on(by, current):
        raise NotAllowed(
            "You do not have permission to work on this assessment: only its lead and the "
            "allocated team can."
        )


def _check_editable(current):
    if current.state not in EDITABLE_STATES:
        if current.state == A.PLANNED:
            raise NotAllowed("Start the assessment before recording what you find.")
        raise NotAllowed(
            f"An assessment that is “{current.get_state_display()}” can no longer be changed."
        )


def clean_or_refuse(instance, exclude=()):
    try:
        instance.full_clean(exclude=["state", *exclude])
    except ValidationError as exc:
        raise Incomplete("Check your answers", exc.message_dict) from exc


RELATED = ("referral__school__authority",)


def edit_assessment(assessment, *, by, expected_version, reason, change):
    """Run `change(current)` on a locked, current, editable copy, then save it (so every
    edit of any part of the assessment bumps its version and leaves history)."""

    def check(by, current):
        _check_worker(by, current)
        _check_editable(current)

    return record_edit(
        assessment,
        by=by,
        change=change,
        expected_version=expected_version,
        reason=reason,
        check=check,
        noun="assessment",
        related=RELATED,
    )


def _transition(
    assessment,
    *,
    name,
    by,
    reason,
    expected_version=None,
    who=_check_worker,
    before=None,
    after=None,
):
    return record_transition_run(
        assessment,
        name=name,
        by=by,
        case=assessment.referral,
        reason=reason,
        expected_version=expected_version,
        check=who,
        before=before,
        after=after,
        noun="assessment",
        related=RELATED,
    )


# --- opened by the panel -----------------------------------------------------------------


def assessment_stop(*, referral, by, reason: str) -> None:
    """The case moves to another pathway (the panel's new decision) or ends: an assessment
    still under way stops (its clock cancelled), with the reason. Called in the transaction
    of the decision or the ending, which is the authority to act."""
    for assessment in SchoolAssessment.objects.filter(referral=referral).open():
        record_transition_run(
            assessment,
            name="stop",
            by=by,
            case=referral,
            reason=reason,
            noun="assessment",
            related=RELATED,
        )


def assessment_open(*, referral, lead, by, reason):
    """Open a School Assessment for a case the panel has decided on (school_assessments.pathway
    calls it inside the decision's transaction). Starts the 45-working-day clock, anchored on
    the referral's submission. A case with an open assessment keeps it: returns None."""
    if not is_panel_member(by, referral):
        raise NotAllowed("Only a member of the case's context panel can open its assessment.")
    with transaction.atomic():
        if SchoolAssessment.objects.filter(referral=referral).open().exists():
            return None
        assessment = record_create(
            SchoolAssessment(referral=referral, lead=lead, opened_by=by),
            case=referral,
            by=by,
            reason=reason,
            transition="open",
        )
        work_allocated(
            referral,
            lead,
            what=f"the School Assessment of {referral.school.name}",
            body=f"The context panel decided on {referral}: a School Assessment with the "
            "school. Plan it with the designated safeguarding lead, then start it on the "
            "assessment's page.",
            url=assessment.get_absolute_url(),
        )
    return assessment


# --- the lead's work ---------------------------------------------------------------------


def assessment_start(*, assessment, by, expected_version=None):
    """planned -> in progress; the case moves from decided to in progress with it."""

    def stamp(current):
        current.started_at = timezone.now()

    def case_under_way(current):
        case_work_start(
            referral=current.referral, by=by, reason="The School Assessment has started"
        )

    return _transition(
        assessment,
        name="start",
        by=by,
        reason="Assessment started",
        expected_version=expected_version,
        before=stamp,
        after=case_under_way,
    )


def assessment_update(*, assessment, by, data, expected_version=None):
    """Save one or more free-text sections (SECTION_FIELDS) as they are written."""
    unknown = set(data) - set(SECTION_FIELDS)
    if unknown:
        raise ValueError(f"Not a section of the assessment: {sorted(unknown)}")

    def write(current):
        for name, value in data.items():
            setattr(current, name, (value or "").strip())
        clean_or_refuse(current)

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason="saved " + ", ".join(n.replace("_", " ") for n in data),
        change=write,
    )


def assessment_save_domain(
    *,
    assessment,
    by,
    domain,
    strengths="",
    concerns="",
    evidence="",
    judgement="",
    expected_version=None,
):
    """Save what the assessment found in one domain of the triangle (partial answers are
    kept; completion checks that each domain is whole)."""
    if domain not in Domain.values:
        raise ValueError(f"Not a domain of the triangle: {domain}")

    def write(current):
        row, _ = AssessmentDomain.objects.get_or_create(assessment=current, domain=domain)
        row.strengths = (strengths or "").strip()
        row.concerns = (concerns or "").strip()
        row.evidence = (evidence or "").strip()
        row.judgement = judgement or ""
        clean_or_refuse(row)
        row._history_user = by
        row.save()

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason=f"saved the {Domain(domain).label.lower()} domain",
        change=write,
    )


def assessment_draft_findings(*, assessment, by, expected_version=None):
    """in progress -> findings drafted: the findings are written and ready to talk through."""

    def check(current):
        problems = missing_for_findings(current)
        if problems:
            raise Incomplete("The findings cannot be marked drafted yet", problems)
        current.findings_drafted_at = timezone.now()

    return _transition(
        assessment,
        name="draft_findings",
        by=by,
        reason="Findings drafted",
        expected_version=expected_version,
        before=check,
    )


def assessment_share(*, assessment, by, expected_version=None):
    """findings drafted -> shared with the school: the school's DSLs can now read it and add
    the school's response."""

    def check(current):
        problems = missing_for_sharing(current)
        if problems:
            raise Incomplete("The assessment cannot be shared with the school yet", problems)
        current.shared_at = timezone.now()

    def tell_the_school(current):
        from accounts.models import SchoolMembership

        dsls = SchoolMembership.objects.filter(school_id=current.referral.school_id)
        notify_people(
            user_ids=dsls.values_list("user_id", flat=True),
            title=f"The School Assessment's findings are ready for you ({current.referral})",
            body="The findings and recommendations of the assessment we carried out with your "
            "school are ready. Read them, and add your school's response in your own words.",
            url=current.get_absolute_url(),
            kind="assessment",
        )

    return _transition(
        assessment,
        name="share_with_school",
        by=by,
        reason="Findings shared with the school",
        expected_version=expected_version,
        before=check,
        after=tell_the_school,
    )


def assessment_complete(*, assessment, by, expected_version=None):
    """shared with the school -> completed, once all three domains and at least one method
    are recorded. Stops the assessment's clock (met) and opens the case plan, which starts
    the plan-agreed clock."""

    def check(current):
        problems = missing_for_completion(current)
        if problems:
            raise Incomplete(
                "The assessment cannot be completed yet: it needs all three domains of the "
                "triangle and at least one method",
                problems,
            )
        current.completed_at = timezone.now()

    def open_the_plan(current):
        from referrals.plans.services import plan_open

        plan_open(
            case=current.referral,
            by=by,
            reason="The School Assessment is complete: agree the plan with the school",
        )

    return _transition(
        assessment,
        name="complete",
        by=by,
        reason="Assessment completed",
        expected_version=expected_version,
        before=check,
        after=open_the_plan,
    )


# --- the school --------------------------------------------------------------------------


def assessment_school_response(*, assessment, by, response, expected_version=None):
    """A DSL of the case's school records the school's response to the shared findings, in
    the school's own words."""
    response = (response or "").strip()
    if not response:
        raise Incomplete(
            "Enter the school's response", {"school_response": ["Enter the school's response"]}
        )

    def check(by, current):
        if not may_respond_for_school(by, current):
            raise NotAllowed(
                "Only the school's designated safeguarding leads can record its response."
            )
        if current.state != A.SHARED_WITH_SCHOOL:
            raise NotAllowed(
                f"An assessment that is “{current.get_state_display()}” cannot take the "
                "school's response now."
            )

    def record(current):
        current.school_response = response
        current.school_response_by = by
        current.school_response_at = timezone.now()
        clean_or_refuse(current)

    with transaction.atomic():
        current = record_edit(
            assessment,
            by=by,
            change=record,
            expected_version=expected_version,
            reason="the school's response recorded",
            check=check,
            noun="assessment",
            related=RELATED,
        )
        if current.lead_id:
            notify_people(
                user_ids=[current.lead_id],
                title=f"{current.referral.school.name} has responded to the findings",
                body="The school has added its response to the School Assessment.",
                url=current.get_absolute_url(),
                kind="assessment",
            )
    return current
