"""The lead's workspace, saved as you go, section by section; the list; the report and its
PDF; and the query counts of the list and workspace, which do not grow with their content."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from school_assessments.choices import AssessmentState as A
from school_assessments.choices import Domain
from school_assessments.models import SchoolAssessment
from tests.dates import date_parts
from tests.school_assessments.factories import add_method, fill_domain, in_state, planned

pytestmark = pytest.mark.django_db


def _url(name, assessment, *args):
    return reverse(name, args=[assessment.pk, *args])


def _fresh(assessment):
    return SchoolAssessment.objects.get(pk=assessment.pk)


def test_the_lead_works_through_the_assessment_on_its_pages(client):
    assessment = planned()
    people = assessment.people
    client.force_login(people["practitioner"])
    page = client.get(_url("school_assessment_detail", assessment)).text
    assert "not an inspection" in page
    assert "Start the assessment" in page

    response = client.post(
        _url("school_assessment_act", assessment, "start"), {"version": assessment.version}
    )
    assert response.status_code == 302
    page = client.get(_url("school_assessment_detail", assessment)).text
    assert "The assessment has started" in page
    assert "Pupil development needs" in page and "Not yet started" in page

    # A domain saved half-written is kept...
    url = _url("school_assessment_domain", assessment, "pupil-development")
    form = client.get(url).text
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Judgement' in form
    assert ">Save</button>" in form
    response = client.post(
        url,
        {
            "version": _fresh(assessment).version,
            "strengths": "Strong peer mentoring.",
            "concerns": "",
            "evidence": "",
            "judgement": "",
        },
    )
    assert response.status_code == 302
    row = _fresh(assessment).domains.get(domain=Domain.PUPIL_DEVELOPMENT)
    assert row.strengths == "Strong peer mentoring." and not row.is_complete
    assert "In progress" in client.get(_url("school_assessment_detail", assessment)).text
    # ... and shows again to be finished.
    assert "Strong peer mentoring." in client.get(url).text

    # Methods: a bad one is refused with the reason on the form; a good one is added.
    url = _url("school_assessment_methods", assessment)
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "version": _fresh(assessment).version,
            "kind": "observation",
            **date_parts("held_on", future),
            "participants": "Lead practitioner and the DSL",
            "summary": "Lunchtime walk-round.",
        },
    )
    assert response.status_code == 200
    assert "The date must be today or in the past" in response.text
    response = client.post(
        url,
        {
            "version": _fresh(assessment).version,
            "kind": "observation",
            **date_parts("held_on", timezone.localdate()),
            "participants": "Lead practitioner and the DSL",
            "summary": "Lunchtime walk-round: no adult on the top corridor.",
        },
    )
    assert response.status_code == 302
    assert _fresh(assessment).methods.get().kind == "observation"

    # Survey results, shown as a table and a chart with the same numbers.
    url = _url("school_assessment_survey", assessment)
    for place, feeling, percent in (("Top-floor toilets", "unsafe", 42), ("Library", "safe", 81)):
        response = client.post(
            url,
            {
                "version": _fresh(assessment).version,
                "place": place,
                "feeling": feeling,
                "percent": percent,
            },
        )
        assert response.status_code == 302
    page = client.get(url).text
    assert 'role="img"' in page and "Where pupils feel unsafe" in page
    assert ">42%</text>" in page and ">42%</td>" in page

    # Free-text sections.
    for section, data in (
        ("young-peoples-voice", {"young_people_said": "The bus feels unsafe after 4pm."}),
        ("involvement", {"involvement": "Pupil focus groups and a parents' coffee morning."}),
        ("findings", {"findings": "Strong relationships.", "recommendations": "Staff the bus."}),
    ):
        response = client.post(
            _url("school_assessment_section", assessment, section),
            {"version": _fresh(assessment).version, **data},
        )
        assert response.status_code == 302, response.text
    current = _fresh(assessment)
    assert current.young_people_said == "The bus feels unsafe after 4pm."
    assert current.recommendations == "Staff the bus."

    for action, button in (
        ("draft-findings", "Mark findings drafted"),
        ("share", "Share with the school"),
    ):
        assert button in client.get(_url("school_assessment_detail", assessment)).text
        response = client.post(
            _url("school_assessment_act", assessment, action),
            {"version": _fresh(assessment).version},
        )
        assert response.status_code == 302
    assert _fresh(assessment).state == A.SHARED_WITH_SCHOOL

    # Completing with two domains missing is refused, with links to put it right.
    page = client.get(_url("school_assessment_detail", assessment)).text
    assert "Complete the assessment" in page
    response = client.post(
        _url("school_assessment_act", assessment, "complete"),
        {"version": _fresh(assessment).version},
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert _url("school_assessment_domain", assessment, "guardianship") in response.text
    assert _fresh(assessment).state == A.SHARED_WITH_SCHOOL

    current = _fresh(assessment)
    current.people = people
    for domain in Domain.values:
        current = fill_domain(current, domain)
    response = client.post(
        _url("school_assessment_act", assessment, "complete"), {"version": current.version}
    )
    assert response.status_code == 302
    page = client.get(_url("school_assessment_detail", assessment)).text
    assert "The case plan has been opened" in page
    assert _fresh(assessment).state == A.COMPLETED


def test_buttons_for_an_unknown_action_or_get_are_refused(client):
    assessment = planned()
    client.force_login(assessment.people["practitioner"])
    assert (
        client.post(
            _url("school_assessment_act", assessment, "approve"), {"version": 0}
        ).status_code
        == 404
    )
    assert client.get(_url("school_assessment_act", assessment, "start")).status_code == 405


def test_removing_a_method_and_a_survey_result(client):
    assessment = in_state(A.IN_PROGRESS)
    people = assessment.people
    client.force_login(people["practitioner"])
    method = assessment.methods.get()
    response = client.post(
        _url("school_assessment_remove", assessment, "methods", method.pk),
        {"version": assessment.version},
    )
    assert response.status_code == 302
    assert not _fresh(assessment).methods.exists()


def test_the_report_reads_as_a_document_and_downloads_as_a_pdf(client):
    assessment = in_state(A.COMPLETED)
    client.force_login(assessment.people["practitioner"])
    page = client.get(_url("school_assessment_report", assessment)).text
    assert '<article class="app-document' in page
    assert "it is not an inspection" in page
    assert "Guardianship capacity" in page
    assert "Download the report as a PDF" in page
    response = client.get(_url("school_assessment_report_pdf", assessment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "school-assessment-SR-" in response["Content-Disposition"]


def test_headings_on_the_workspace_are_in_order(client):
    assessment = in_state(A.IN_PROGRESS)
    client.force_login(assessment.people["practitioner"])
    page = client.get(_url("school_assessment_detail", assessment)).text
    main = page[page.index("<main") : page.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def _grow(assessment, count):
    people = assessment.people
    for n in range(count):
        assessment = add_method(assessment, participants=f"Group {n}")
    from school_assessments import evidence

    for n in range(count):
        assessment = evidence.assessment_add_survey_result(
            assessment=assessment,
            by=people["practitioner"],
            place=f"Place {n}",
            feeling="unsafe" if n % 2 else "safe",
            percent=10 + n,
        )
        assessment.people = people
    return assessment


@pytest.mark.parametrize("url_name", ["school_assessment_detail", "school_assessment_report"])
@pytest.mark.parametrize("state", [A.IN_PROGRESS, A.SHARED_WITH_SCHOOL])
def test_workspace_queries_do_not_grow_with_its_content(
    client, django_assert_max_num_queries, url_name, state
):
    assessment = in_state(state)
    client.force_login(assessment.people["practitioner"])
    assert client.get(_url(url_name, assessment)).status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_url(url_name, assessment))
    _grow(assessment, 8)
    with django_assert_max_num_queries(len(few)):
        response = client.get(_url(url_name, assessment))
    assert response.status_code == 200
    assert response.text.count("Group ") >= 8 or url_name == "school_assessment_detail"


def test_list_queries_do_not_grow_with_assessments(client, django_assert_max_num_queries):
    first = in_state(A.IN_PROGRESS)
    manager = first.people["manager"]
    client.force_login(manager)
    url = reverse("school_assessment_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # More assessments for the same team, in several states.
    from panels.services import decision_record
    from tests.panels.factories import decision_args
    from tests.referrals.factories import in_state as referral_in_state

    team = first.people["team"]
    practitioner = first.people["practitioner"]
    for _ in range(6):
        referral = referral_in_state("awaiting_panel", school=None)
        referral.people.update(team=team, practitioner=practitioner)
        decision_record(
            referral=referral, by=referral.people["panel_member"], **decision_args(referral)
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("School Assessment</span>") == 7
    assert "Green: on track" in response.text


def test_a_dsl_list_shows_only_shared_assessments(client):
    shared = in_state(A.SHARED_WITH_SCHOOL)
    client.force_login(shared.people["dsl"])
    page = client.get(reverse("school_assessment_list")).text
    assert _url("school_assessment_detail", shared) in page


@pytest.mark.time_machine(
    dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
)
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "14", "month": "", "year": "2026"}, "Date must include a month"),
        ({"day": "30", "month": "2", "year": "2026"}, "Date must be a real date, like 27 3 2027"),
        ({"day": "1", "month": "1", "year": "9999"}, "Date must be no later than 31 December 2100"),
        ({"day": "", "month": "", "year": ""}, "Enter the date"),
    ],
)
def test_a_methods_date_is_a_govuk_date_input_and_a_bad_one_is_refused_at_the_field(
    client, parts, message
):
    assessment = in_state(A.IN_PROGRESS, complete=False)
    client.force_login(assessment.people["practitioner"])
    url = _url("school_assessment_methods", assessment)
    page = client.get(url).text
    assert 'class="govuk-date-input"' in page and 'name="held_on_day"' in page
    assert 'type="date"' not in page
    data = {
        "version": _fresh(assessment).version,
        "kind": "observation",
        "participants": "Lead practitioner and the DSL",
        "summary": "Lunchtime walk-round.",
    }
    response = client.post(url, {**data, **date_parts("held_on", **parts)})
    assert response.status_code == 200
    assert 'href="#id_held_on"' in response.text
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in response.text
    assert not _fresh(assessment).methods.exists()

    response = client.post(url, {**data, **date_parts("held_on", dt.date(2026, 11, 27))})
    assert response.status_code == 302
    assert _fresh(assessment).methods.get().held_on == dt.date(2026, 11, 27)
