"""The assessment's life: opened by the panel, started by the lead, findings drafted,
shared with the school, completed; each step recorded, the case and its clocks with it."""

import pytest

from notifications.models import Deadline, DeadlineStatus
from referrals.choices import ReferralState
from referrals.models import SchoolReferral, TransitionRecord
from school_assessments.choices import AssessmentState as A
from school_assessments.models import SchoolAssessment
from tests.panels.factories import awaiting_panel, decision_args
from tests.school_assessments.factories import in_state, planned

pytestmark = pytest.mark.django_db


def _records(assessment):
    return list(
        TransitionRecord.objects.filter(
            object_id=assessment.pk, content_type__model="schoolassessment"
        ).values_list("transition", "from_state", "to_state")
    )


def test_a_decision_for_the_pathway_opens_an_assessment_led_by_the_decisions_lead():
    assessment = planned()
    people = assessment.people
    assert assessment.state == A.PLANNED
    assert assessment.lead == people["practitioner"]
    assert assessment.opened_by == people["panel_member"]
    assert _records(assessment) == [("open", "", "planned")]
    record = TransitionRecord.objects.get(object_id=assessment.pk, transition="open")
    assert record.case_id == assessment.referral_id
    assert "School Assessment" in record.reason


def test_other_pathways_open_no_assessment():
    from panels.services import decision_record

    referral = awaiting_panel()
    decision_record(
        referral=referral,
        by=referral.people["panel_member"],
        **decision_args(referral, pathway="beyond_referrals"),
    )
    assert not SchoolAssessment.objects.filter(referral=referral).exists()


def test_a_step_that_keeps_the_pathway_keeps_the_open_assessment():
    from panels.services import decision_step

    assessment = planned()
    referral = SchoolReferral.objects.get(pk=assessment.referral_id)
    referral.people = assessment.people
    previous = referral.decisions.get()
    decision_step(
        previous=previous,
        by=assessment.people["panel_member"],
        change_reason="New information: a second year group is affected.",
        **decision_args(referral, level="child_protection"),
    )
    assert SchoolAssessment.objects.filter(referral=referral).count() == 1


def test_a_step_to_another_pathway_stops_the_assessment_and_starts_the_new_work():
    from panels.services import decision_step
    from self_assessments.models import SelfAssessment

    assessment = in_state(A.IN_PROGRESS)
    referral = SchoolReferral.objects.get(pk=assessment.referral_id)
    referral.people = assessment.people
    decision_step(
        previous=referral.decisions.get(),
        by=assessment.people["panel_member"],
        change_reason="The school asks to lead its own audit, supported.",
        **decision_args(referral, pathway="beyond_referrals"),
    )
    stopped = SchoolAssessment.objects.get(pk=assessment.pk)
    assert stopped.state == A.STOPPED
    assert _records(stopped)[-1] == ("stop", "in_progress", "stopped")
    clock = Deadline.objects.get(timescale__key="school_assessment", subject_id=assessment.pk)
    assert clock.status == DeadlineStatus.CANCELLED
    audit = SelfAssessment.objects.get(case=referral)
    assert audit.state == "in_progress"

    # And back again: the unfinished audit stops, a new assessment opens.
    referral.refresh_from_db()
    decision_step(
        previous=referral.decisions.get(superseded_by__isnull=True),
        by=assessment.people["panel_member"],
        change_reason="The audit stalled; Children's Social Care will assess.",
        **decision_args(referral, pathway="school_assessment"),
    )
    assert SelfAssessment.objects.get(pk=audit.pk).state == "closed"
    assert SchoolAssessment.objects.filter(referral=referral, state=A.PLANNED).count() == 1


def test_starting_moves_the_case_in_progress():
    assessment = in_state(A.IN_PROGRESS)
    assert assessment.state == A.IN_PROGRESS
    assert assessment.started_at is not None
    case = SchoolReferral.objects.get(pk=assessment.referral_id)
    assert case.state == ReferralState.IN_PROGRESS
    assert TransitionRecord.objects.filter(
        case=case, transition="start_work", content_type__model="schoolreferral"
    ).exists()


def test_the_whole_way_through_records_every_step():
    assessment = in_state(A.COMPLETED)
    assert assessment.state == A.COMPLETED
    assert _records(assessment) == [
        ("open", "", "planned"),
        ("start", "planned", "in_progress"),
        ("draft_findings", "in_progress", "findings_drafted"),
        ("share_with_school", "findings_drafted", "shared_with_school"),
        ("complete", "shared_with_school", "completed"),
    ]
    by = set(
        TransitionRecord.objects.filter(
            object_id=assessment.pk, transition__in=["start", "complete"]
        ).values_list("by", flat=True)
    )
    assert by == {assessment.people["practitioner"].pk}
    deadline = Deadline.objects.get(subject_id=assessment.pk, timescale__key="school_assessment")
    assert deadline.status == DeadlineStatus.MET


def test_the_lead_is_told_on_opening_and_the_school_on_sharing(django_capture_on_commit_callbacks):
    from notifications.models import Notification

    assessment = planned()
    people = assessment.people
    lead_note = Notification.objects.get(user=people["practitioner"], stage="assignment")
    assert assessment.referral.school.name in lead_note.title
    assert lead_note.url == assessment.get_absolute_url()
    assert not Notification.objects.filter(user=people["dsl"], stage="assessment").exists()

    shared = in_state(A.SHARED_WITH_SCHOOL)
    dsl_note = Notification.objects.get(user=shared.people["dsl"], stage="assessment")
    assert "ready for you" in dsl_note.title
    assert dsl_note.url == shared.get_absolute_url()


@pytest.mark.parametrize("state", [A.PLANNED, A.IN_PROGRESS, A.SHARED_WITH_SCHOOL])
def test_a_step_down_below_threshold_closes_the_case_and_stops_the_assessment(state):
    from panels.services import decision_step

    assessment = in_state(state)
    referral = SchoolReferral.objects.get(pk=assessment.referral_id)
    referral.people = assessment.people
    decision_step(
        previous=referral.decisions.get(),
        by=assessment.people["panel_member"],
        change_reason="The school's own measures have worked; it can manage this now.",
        **decision_args(referral, level="below_threshold", pathway="manage_internally"),
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.CLOSED
    stopped = SchoolAssessment.objects.get(pk=assessment.pk)
    assert stopped.state == A.STOPPED
    assert not SchoolAssessment.objects.filter(referral=referral).open().exists()
    record = TransitionRecord.objects.get(object_id=stopped.pk, transition="stop")
    # The step down stops it with the panel's reason, before the case closes.
    assert record.reason.startswith(
        "The panel's new decision changes the pathway to School manages internally"
    )
    assert record.by == assessment.people["panel_member"]
    clock = Deadline.objects.get(timescale__key="school_assessment", subject_id=assessment.pk)
    assert clock.status == DeadlineStatus.CANCELLED
