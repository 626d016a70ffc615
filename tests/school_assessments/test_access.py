"""Who sees the assessment: the lead and the allocated team from the start; the school's
DSLs only once it is shared with the school (a 404 before); another school never."""

import pytest
from django.urls import reverse

from referrals.models import CaseAccessLog
from school_assessments.choices import AssessmentState as A
from school_assessments.models import SchoolAssessment
from tests.accounts.factories import SchoolFactory, TeamFactory, dsl_of, team_member_of
from tests.school_assessments.factories import in_state, planned

pytestmark = pytest.mark.django_db

READ_PAGES = ["school_assessment_detail", "school_assessment_report"]


def _get(client, user, name, assessment, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, args=[assessment.pk]), **kwargs)


@pytest.mark.parametrize("state", [A.PLANNED, A.IN_PROGRESS, A.FINDINGS_DRAFTED])
@pytest.mark.parametrize("url_name", [*READ_PAGES, "school_assessment_report_pdf"])
def test_a_dsl_cannot_see_the_assessment_before_it_is_shared(client, state, url_name):
    assessment = in_state(state)
    dsl = assessment.people["dsl"]
    assert _get(client, dsl, url_name, assessment).status_code == 404
    assert not SchoolAssessment.objects.visible_to(dsl).exists()
    response = client.get(reverse("school_assessment_list"))
    assert reverse("school_assessment_detail", args=[assessment.pk]) not in response.text


@pytest.mark.parametrize("state", [A.SHARED_WITH_SCHOOL, A.COMPLETED])
def test_a_dsl_sees_the_assessment_once_shared(client, state):
    assessment = in_state(state)
    dsl = assessment.people["dsl"]
    response = _get(client, dsl, "school_assessment_detail", assessment)
    assert response.status_code == 200
    assert "Staff the top corridor at lunchtime" in response.text  # the recommendations
    assert _get(client, dsl, "school_assessment_report", assessment).status_code == 200
    assert CaseAccessLog.objects.filter(
        referral_id=assessment.referral_id, user=dsl, page="school_assessment_detail"
    ).exists()
    # but does not work on it
    for name in ("school_assessment_methods", "school_assessment_survey"):
        assert _get(client, dsl, name, assessment).status_code == 403
    assert (
        client.get(
            reverse("school_assessment_domain", args=[assessment.pk, "guardianship"])
        ).status_code
        == 403
    )


def test_a_dsl_adds_the_schools_response_once_shared(client):
    assessment = in_state(A.SHARED_WITH_SCHOOL)
    dsl = assessment.people["dsl"]
    page = _get(client, dsl, "school_assessment_detail", assessment)
    assert "Add the school&#x27;s response" in page.text or "Add the school's response" in page.text
    url = reverse("school_assessment_response", args=[assessment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": assessment.version,
            "school_response": "We recognise the corridor finding and will staff it from Monday.",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.school_response.startswith("We recognise the corridor finding")
    assert assessment.school_response_by == dsl
    assert assessment.school_response_at is not None
    # The lead sees it in the school's words.
    lead_page = _get(
        client, assessment.people["practitioner"], "school_assessment_detail", assessment
    )
    assert "We recognise the corridor finding" in lead_page.text


def test_a_dsl_cannot_add_a_response_before_sharing(client):
    assessment = in_state(A.FINDINGS_DRAFTED)
    dsl = assessment.people["dsl"]
    client.force_login(dsl)
    url = reverse("school_assessment_response", args=[assessment.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"version": assessment.version, "school_response": "Early."})
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.school_response == ""


@pytest.mark.parametrize("state", [A.PLANNED, A.SHARED_WITH_SCHOOL, A.COMPLETED])
def test_another_schools_dsl_never_sees_it(client, state):
    assessment = in_state(state)
    other = dsl_of(SchoolFactory(authority=assessment.referral.school.authority))
    for page in [*READ_PAGES, "school_assessment_response", "school_assessment_report_pdf"]:
        assert _get(client, other, page, assessment).status_code == 404
    assert not SchoolAssessment.objects.visible_to(other).exists()
    response = client.get(reverse("school_assessment_for_case", args=[assessment.referral_id]))
    assert response.status_code == 404


def test_a_practitioner_of_another_team_never_sees_it(client):
    assessment = in_state(A.IN_PROGRESS)
    outsider = team_member_of(TeamFactory(authority=assessment.referral.school.authority))
    assert _get(client, outsider, "school_assessment_detail", assessment).status_code == 404


@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_the_lead_and_the_allocated_team_work_on_it_from_the_start(client, who):
    assessment = planned()
    user = assessment.people[who]
    response = _get(client, user, "school_assessment_detail", assessment)
    assert response.status_code == 200
    assert "Start the assessment" in response.text


def test_a_colleague_in_the_team_can_work_on_it(client):
    assessment = in_state(A.IN_PROGRESS)
    colleague = team_member_of(assessment.people["team"])
    response = _get(client, colleague, "school_assessment_methods", assessment)
    assert response.status_code == 200
    assert "Add method" in response.text


def test_the_case_page_still_shows_with_the_assessments_records(client):
    assessment = in_state(A.SHARED_WITH_SCHOOL)
    client.force_login(assessment.people["practitioner"])
    assert client.get(reverse("referral_detail", args=[assessment.referral_id])).status_code == 200
    assert client.get(reverse("referral_history", args=[assessment.referral_id])).status_code == 200


def test_the_case_link_leads_to_the_assessment(client):
    assessment = planned()
    client.force_login(assessment.people["practitioner"])
    response = client.get(reverse("school_assessment_for_case", args=[assessment.referral_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("school_assessment_detail", args=[assessment.pk])
    # A DSL: nothing until shared.
    client.force_login(assessment.people["dsl"])
    response = client.get(reverse("school_assessment_for_case", args=[assessment.referral_id]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("state", "dsl_sees"), [(A.IN_PROGRESS, False), (A.SHARED_WITH_SCHOOL, True)]
)
def test_the_case_chronology_and_deadlines_show_the_assessment_only_to_who_may_read_it(
    client, state, dsl_sees
):
    from referrals.chronology import chronology
    from referrals.models import SchoolReferral
    from referrals.selectors import case_deadlines

    assessment = in_state(state)
    referral = SchoolReferral.objects.get(pk=assessment.referral_id)
    dsl, lead = assessment.people["dsl"], assessment.people["practitioner"]

    def assessment_entries(user):
        return [e for e in chronology(referral, user) if e.title.startswith("School assessment:")]

    def assessment_clocks(user):
        return [
            d
            for d in case_deadlines(referral, user)
            if d["deadline"].timescale.key == "school_assessment"
        ]

    assert assessment_entries(lead) and assessment_clocks(lead)
    assert bool(assessment_entries(dsl)) is dsl_sees
    assert bool(assessment_clocks(dsl)) is dsl_sees
    for url in (f"/referrals/{referral.pk}/", f"/referrals/{referral.pk}/history/"):
        client.force_login(dsl)
        page = client.get(url).content.decode()
        assert ("School assessment:" in page) is dsl_sees, url
        client.force_login(lead)
        assert "School assessment:" in client.get(url).content.decode(), url
