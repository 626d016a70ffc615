"""Two people working on the same assessment: the one working from a stale page is told,
and nothing of theirs or their colleague's is lost."""

import pytest
from django.urls import reverse

from casework.errors import ChangedUnderYou
from school_assessments import services
from school_assessments.choices import AssessmentState as A
from school_assessments.choices import Domain
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import team_member_of
from tests.school_assessments.factories import in_state

pytestmark = pytest.mark.django_db


def test_a_stale_edit_is_refused_and_the_newer_text_kept():
    assessment = in_state(A.IN_PROGRESS)
    people = assessment.people
    colleague = team_member_of(people["team"])
    loaded = assessment.version
    services.assessment_update(
        assessment=assessment,
        by=colleague,
        data={"findings": "Colleague's newer findings."},
        expected_version=loaded,
    )
    with pytest.raises(ChangedUnderYou) as told:
        services.assessment_update(
            assessment=assessment,
            by=people["practitioner"],
            data={"findings": "Older findings."},
            expected_version=loaded,
        )
    assert "changed while you were working on it" in told.value.message
    assert "reload the page" in told.value.message
    current = SchoolAssessment.objects.get(pk=assessment.pk)
    assert current.findings == "Colleague's newer findings."
    assert current.version == loaded + 1


def test_a_stale_transition_is_refused():
    assessment = in_state(A.SHARED_WITH_SCHOOL)
    stale = SchoolAssessment.objects.get(pk=assessment.pk)
    services.assessment_school_response(
        assessment=assessment, by=assessment.people["dsl"], response="We agree."
    )
    with pytest.raises(ChangedUnderYou):
        services.assessment_complete(assessment=stale, by=assessment.people["practitioner"])
    current = SchoolAssessment.objects.get(pk=assessment.pk)
    assert current.state == A.SHARED_WITH_SCHOOL
    assert not current.referral.plans.exists()


def test_a_stale_domain_form_shows_the_message_and_saves_nothing(client):
    assessment = in_state(A.IN_PROGRESS, complete=False)
    people = assessment.people
    client.force_login(people["practitioner"])
    url = reverse("school_assessment_domain", args=[assessment.pk, "guardianship"])
    stale_version = assessment.version
    services.assessment_save_domain(
        assessment=assessment,
        by=people["manager"],
        domain=Domain.GUARDIANSHIP,
        strengths="Manager's notes.",
    )
    response = client.post(
        url,
        {
            "version": stale_version,
            "strengths": "My older notes.",
            "concerns": "",
            "evidence": "",
            "judgement": "",
        },
    )
    assert response.status_code == 200
    assert "changed while you were working on it" in response.text
    assert "govuk-error-summary" in response.text
    row = SchoolAssessment.objects.get(pk=assessment.pk).domains.get()
    assert row.strengths == "Manager's notes."


def test_a_stale_button_on_the_workspace_shows_the_message(client):
    assessment = in_state(A.IN_PROGRESS)
    people = assessment.people
    client.force_login(people["practitioner"])
    stale_version = assessment.version
    services.assessment_update(
        assessment=assessment, by=people["manager"], data={"recommendations": "Newer."}
    )
    response = client.post(
        reverse("school_assessment_act", args=[assessment.pk, "draft-findings"]),
        {"version": stale_version},
    )
    assert response.status_code == 409
    assert "changed while you were working on it" in response.text
    assert SchoolAssessment.objects.get(pk=assessment.pk).state == A.IN_PROGRESS


def test_a_stale_remove_button_is_refused(client):
    assessment = in_state(A.IN_PROGRESS)
    people = assessment.people
    method = assessment.methods.get()
    client.force_login(people["practitioner"])
    stale_version = assessment.version
    services.assessment_update(
        assessment=assessment, by=people["manager"], data={"involvement": "Parents' evening."}
    )
    response = client.post(
        reverse("school_assessment_remove", args=[assessment.pk, "methods", method.pk]),
        {"version": stale_version},
    )
    assert response.status_code == 409
    assert "changed while you were working on it" in response.text
    assert assessment.methods.filter(pk=method.pk).exists()
