"""Each step is refused, with a clear message and nothing changed, for the wrong person or
in the wrong state; completion needs all three domains and a method, and opens the plan."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import AuthorityRole
from casework.errors import Incomplete, NotAllowed
from notifications.models import Deadline, DeadlineStatus
from notifications.workdays import WorkingCalendar
from panels.services import decision_record
from referrals.models import TransitionRecord
from school_assessments import services
from school_assessments.choices import AssessmentState as A
from school_assessments.choices import Domain
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import (
    SchoolFactory,
    TeamFactory,
    authority_role,
    dsl_of,
    team_member_of,
)
from tests.panels.factories import awaiting_panel, decision_args
from tests.school_assessments.factories import (
    add_method,
    fill_domain,
    in_state,
    planned,
    write_findings,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def snapshot(assessment):
    current = SchoolAssessment.objects.get(pk=assessment.pk)
    return (
        current.state,
        current.version,
        TransitionRecord.objects.filter(object_id=assessment.pk).count(),
        current.referral.plans.count(),
    )


STEPS = {
    A.PLANNED: services.assessment_start,
    A.IN_PROGRESS: services.assessment_draft_findings,
    A.FINDINGS_DRAFTED: services.assessment_share,
    A.SHARED_WITH_SCHOOL: services.assessment_complete,
}


def _outsider(assessment, who):
    authority = assessment.referral.school.authority
    people = assessment.people
    return {
        "dsl": lambda: people["dsl"],
        "front_door": lambda: people["front_door"],
        "panel_member": lambda: people["panel_member"],
        "other_team": lambda: team_member_of(TeamFactory(authority=authority)),
        "other_school_dsl": lambda: dsl_of(SchoolFactory(authority=authority)),
        "administrator": lambda: authority_role(authority, AuthorityRole.ADMINISTRATOR),
    }[who]()


@pytest.mark.parametrize("state", list(STEPS))
@pytest.mark.parametrize(
    "who",
    ["dsl", "front_door", "panel_member", "other_team", "other_school_dsl", "administrator"],
)
def test_transitions_are_refused_for_the_wrong_person(state, who):
    assessment = in_state(state)
    before = snapshot(assessment)
    with pytest.raises(NotAllowed, match="only its lead and the allocated team"):
        STEPS[state](assessment=assessment, by=_outsider(assessment, who))
    assert snapshot(assessment) == before


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (A.PLANNED, services.assessment_draft_findings),
        (A.PLANNED, services.assessment_complete),
        (A.IN_PROGRESS, services.assessment_start),
        (A.IN_PROGRESS, services.assessment_share),
        (A.IN_PROGRESS, services.assessment_complete),
        (A.FINDINGS_DRAFTED, services.assessment_complete),
        (A.SHARED_WITH_SCHOOL, services.assessment_draft_findings),
        (A.COMPLETED, services.assessment_complete),
        (A.COMPLETED, services.assessment_start),
    ],
)
def test_transitions_are_refused_in_the_wrong_state(state, step):
    assessment = in_state(state)
    before = snapshot(assessment)
    with pytest.raises(NotAllowed, match="cannot do that now"):
        step(assessment=assessment, by=assessment.people["practitioner"])
    assert snapshot(assessment) == before


def test_the_team_manager_can_move_it_on():
    assessment = planned()
    started = services.assessment_start(assessment=assessment, by=assessment.people["manager"])
    assert started.state == A.IN_PROGRESS


@pytest.mark.parametrize(
    ("missing", "keys"),
    [
        ("everything", {*Domain.values, "methods"}),
        ("guardianship", {Domain.GUARDIANSHIP}),
        ("method", {"methods"}),
        ("judgement", {Domain.ENVIRONMENT_AND_FAMILY}),
    ],
)
def test_completion_needs_all_three_domains_and_a_method(missing, keys):
    assessment = in_state(A.SHARED_WITH_SCHOOL, complete=False)
    if missing != "everything":
        for domain in Domain.values:
            if domain == Domain.GUARDIANSHIP and missing == "guardianship":
                continue
            judgement = (
                ""
                if (domain == Domain.ENVIRONMENT_AND_FAMILY and missing == "judgement")
                else "strengths"
            )
            assessment = fill_domain(assessment, domain, judgement=judgement)
        if missing != "method":
            assessment = add_method(assessment)
    before = snapshot(assessment)
    clock = Deadline.objects.get(subject_id=assessment.pk, timescale__key="school_assessment")
    with pytest.raises(Incomplete) as refused:
        services.assessment_complete(assessment=assessment, by=assessment.people["practitioner"])
    assert (
        "needs all three domains of the triangle and at least one method" in refused.value.message
    )
    assert set(refused.value.problems) == keys
    assert snapshot(assessment) == before
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.RUNNING
    assert not Deadline.objects.filter(
        case_id=assessment.referral_id, timescale__key="plan_agreed"
    ).exists()


def test_completing_opens_the_case_plan_and_starts_its_clock():
    assessment = in_state(A.COMPLETED)
    plan = assessment.referral.plans.get()
    assert plan.state == "drafting"
    assert plan.created_by == assessment.people["practitioner"]
    clock = Deadline.objects.get(case_id=assessment.referral_id, timescale__key="plan_agreed")
    assert clock.status == DeadlineStatus.RUNNING
    assert clock.subject_id == plan.pk


def test_findings_must_be_written_before_drafted_and_recommendations_before_sharing():
    assessment = planned()
    lead = assessment.people["practitioner"]
    assessment = services.assessment_start(assessment=assessment, by=lead)
    before = snapshot(assessment)
    with pytest.raises(Incomplete) as refused:
        services.assessment_draft_findings(assessment=assessment, by=lead)
    assert set(refused.value.problems) == {"findings"}
    assert snapshot(assessment) == before
    assessment = services.assessment_update(
        assessment=assessment, by=lead, data={"findings": "Strengths and gaps."}
    )
    assessment = services.assessment_draft_findings(assessment=assessment, by=lead)
    with pytest.raises(Incomplete) as refused:
        services.assessment_share(assessment=assessment, by=lead)
    assert set(refused.value.problems) == {"recommendations"}
    assert SchoolAssessment.objects.get(pk=assessment.pk).state == A.FINDINGS_DRAFTED


def test_nothing_can_be_recorded_before_the_start_or_after_completion():
    for state, message in ((A.PLANNED, "Start the assessment"), (A.COMPLETED, "no longer")):
        assessment = in_state(state)
        before = snapshot(assessment)
        with pytest.raises(NotAllowed, match=message):
            write_findings(assessment)
        with pytest.raises(NotAllowed, match=message):
            add_method(assessment)
        assert snapshot(assessment) == before


def test_only_the_schools_dsl_records_its_response_and_only_while_shared():
    assessment = in_state(A.SHARED_WITH_SCHOOL)
    people = assessment.people
    for outsider in (people["practitioner"], dsl_of(SchoolFactory())):
        with pytest.raises(NotAllowed, match="designated safeguarding leads"):
            services.assessment_school_response(
                assessment=assessment, by=outsider, response="Not ours to say."
            )
    with pytest.raises(Incomplete):
        services.assessment_school_response(assessment=assessment, by=people["dsl"], response=" ")
    done = services.assessment_school_response(
        assessment=assessment, by=people["dsl"], response="We agree and will act."
    )
    assert done.school_response == "We agree and will act."
    finished = in_state(A.COMPLETED)
    with pytest.raises(NotAllowed, match="cannot take the school's response"):
        services.assessment_school_response(
            assessment=finished, by=finished.people["dsl"], response="Late."
        )


def test_free_text_refuses_markup():
    assessment = in_state(A.IN_PROGRESS)
    with pytest.raises(Incomplete) as refused:
        services.assessment_update(
            assessment=assessment,
            by=assessment.people["practitioner"],
            data={"findings": "<script>alert(1)</script>"},
        )
    assert "findings" in refused.value.problems


@pytest.mark.time_machine(dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON), tick=False)  # a Monday
def test_the_clock_runs_45_working_days_from_the_referral_and_stops_met_at_completion(time_machine):
    referral = awaiting_panel()
    time_machine.move_to(dt.datetime(2026, 3, 9, 11, 0, tzinfo=LONDON), tick=False)
    decision_record(
        referral=referral, by=referral.people["panel_member"], **decision_args(referral)
    )
    assessment = SchoolAssessment.objects.get(referral=referral)
    clock = Deadline.objects.get(subject_id=assessment.pk, timescale__key="school_assessment")
    assert clock.status == DeadlineStatus.RUNNING
    assert clock.owner == referral.people["practitioner"]
    assert clock.started_at == dt.datetime(2026, 3, 9, 11, 0, tzinfo=LONDON)
    # Anchored on the referral, not the decision: 45 working days after Monday 2 March 2026,
    # skipping Good Friday, Easter Monday and the early May bank holiday.
    assert clock.due_at == dt.datetime(2026, 5, 7, 17, 0, tzinfo=LONDON)
    calendar = WorkingCalendar.for_authority(referral.school.authority)
    assert clock.due_at == calendar.due(referral.submitted_at, working_days=45)

    assessment.people = referral.people
    lead = referral.people["practitioner"]
    time_machine.move_to(dt.datetime(2026, 4, 20, 9, 30, tzinfo=LONDON), tick=False)
    assessment = services.assessment_start(assessment=assessment, by=lead)
    assessment.people = referral.people
    for domain in Domain.values:
        assessment = fill_domain(assessment, domain)
    assessment = add_method(assessment)
    assessment = write_findings(assessment)
    assessment = services.assessment_draft_findings(assessment=assessment, by=lead)
    assessment = services.assessment_share(assessment=assessment, by=lead)
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.RUNNING  # still running while shared
    completed_at = dt.datetime(2026, 5, 6, 15, 0, tzinfo=LONDON)
    time_machine.move_to(completed_at, tick=False)
    services.assessment_complete(assessment=assessment, by=lead)
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET
    assert clock.stopped_at == completed_at
    assert clock.on_time is True
