"""School Assessments in each state, built through the panel's decision and the services
(never by setting the protected state field)."""

import datetime as dt

from django.utils import timezone

from panels.services import decision_record
from school_assessments import evidence, services
from school_assessments.choices import AssessmentState as A
from school_assessments.choices import Domain, Judgement
from school_assessments.models import SchoolAssessment
from tests.panels.factories import awaiting_panel, decision_args


def planned(**changes):
    """An assessment just opened by the panel's decision, with everyone of the case in
    `assessment.people` (dsl, front_door, panel, panel_member, panel_chair, team,
    practitioner (the lead), manager)."""
    referral = awaiting_panel()
    people = referral.people
    decision_record(
        referral=referral, by=people["panel_member"], **decision_args(referral, **changes)
    )
    assessment = SchoolAssessment.objects.select_related("referral__school").get(referral=referral)
    assessment.people = people
    return assessment


def _keep(assessment, people):
    assessment.people = people
    return assessment


def fill_domain(assessment, domain, by=None, **changes):
    values = {
        "strengths": "Pupils name trusted adults in the pastoral team.",
        "concerns": "Comments in the top corridor go unchallenged at lunchtime.",
        "evidence": "Focus group with Year 9 girls; behaviour log September to December.",
        "judgement": Judgement.SOME_CHANGE,
        **changes,
    }
    people = assessment.people
    return _keep(
        services.assessment_save_domain(
            assessment=assessment, by=by or people["practitioner"], domain=domain, **values
        ),
        people,
    )


def add_method(assessment, by=None, **changes):
    values = {
        "kind": "focus_group_students",
        "held_on": timezone.localdate() - dt.timedelta(days=1),
        "participants": "8 Year 9 girls and a learning mentor",
        "summary": "Girls avoid the top corridor and the 4.10pm bus.",
        **changes,
    }
    people = assessment.people
    return _keep(
        evidence.assessment_add_method(
            assessment=assessment, by=by or people["practitioner"], **values
        ),
        people,
    )


def write_findings(assessment, by=None):
    people = assessment.people
    return _keep(
        services.assessment_update(
            assessment=assessment,
            by=by or people["practitioner"],
            data={
                "findings": "Strong pastoral relationships; supervision gaps at lunchtime.",
                "recommendations": "Staff the top corridor at lunchtime; review bus duty.",
            },
        ),
        people,
    )


def in_state(state, *, complete=True, **changes):
    """An assessment in `state`. With complete=True, everything completion needs (three
    domains and a method) is recorded on the way; with complete=False, only the findings."""
    assessment = planned(**changes)
    people = assessment.people
    lead = people["practitioner"]
    if state == A.PLANNED:
        return assessment
    assessment = _keep(services.assessment_start(assessment=assessment, by=lead), people)
    if complete:
        for domain in Domain.values:
            assessment = fill_domain(assessment, domain)
        assessment = add_method(assessment)
    assessment = write_findings(assessment)
    if state == A.IN_PROGRESS:
        return assessment
    assessment = _keep(services.assessment_draft_findings(assessment=assessment, by=lead), people)
    if state == A.FINDINGS_DRAFTED:
        return assessment
    assessment = _keep(services.assessment_share(assessment=assessment, by=lead), people)
    if state == A.SHARED_WITH_SCHOOL:
        return assessment
    assessment = _keep(services.assessment_complete(assessment=assessment, by=lead), people)
    return assessment
