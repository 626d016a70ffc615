"""Risk assessment pages: what they show, their markup, reads logged, and query counts
that do not grow with the number of assessments and reviews."""

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.models import CaseAccessLog, SchoolReferral
from referrals.risks import services as risk_services
from referrals.selectors import case_deadlines
from tests.referrals.risk_factories import (
    EXPLOITATION,
    SEXUAL_VIOLENCE,
    completed,
    immediate_of,
    referral_with,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


class Markup(HTMLParser):
    """Headings in order (inside <main>: a banner above it may carry an h2), the ids that
    labels point at, and the form controls."""

    def __init__(self):
        super().__init__()
        self.headings, self.label_for, self.controls, self.legends = [], set(), [], 0
        self.checkboxes_in_fieldset = self.radios = 0
        self._fieldsets = 0
        self._main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._main = True
        elif tag in ("h1", "h2", "h3", "h4") and self._main:  # the page's own headings
            self.headings.append(int(tag[1]))
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "fieldset":
            self._fieldsets += 1
        elif tag == "legend":
            self.legends += 1
        elif tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
            if attrs.get("type") == "checkbox" and self._fieldsets:
                self.checkboxes_in_fieldset += 1
            if attrs.get("type") == "radio" and self._fieldsets:
                self.radios += 1

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._fieldsets -= 1


def markup(response):
    parser = Markup()
    parser.feed(response.content.decode())
    return parser


def assert_accessible_form(parsed):
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    for before, after in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert after <= before + 1, parsed.headings  # no heading level skipped
    controls = [c for c in parsed.controls if c.get("name") != "csrfmiddlewaretoken"]
    assert controls
    for control in controls:
        assert control.get("id") in parsed.label_for, control  # every control is labelled


@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_completion_form_is_accessible_govuk_markup(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    client.force_login(referral.people["dsl"])
    response = client.get(assessment.get_absolute_url())
    parsed = markup(response)
    assert_accessible_form(parsed)
    assert parsed.checkboxes_in_fieldset == 7  # the measures, under a legend
    assert parsed.radios == 3  # the risk level
    page = response.content.decode()
    assert "Which measures are in place?</legend>" in page
    assert 'class="govuk-date-input"' in page
    for part in ("review_on_day", "review_on_month", "review_on_year"):
        assert f'name="{part}"' in page
    assert 'name="version" value="0"' in page
    assert "para 60" in page  # the advice's wording is used for help text


@pytest.mark.parametrize("form", ["review", "close"])
@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_review_and_close_forms_are_accessible(client, form):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    client.force_login(referral.people["dsl"])
    response = client.get(reverse(f"risk_assessment_{form}", args=[referral.pk, assessment.pk]))
    assert response.status_code == 200
    assert_accessible_form(markup(response))
    assert f'name="version" value="{assessment.version}"' in response.content.decode()


@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_review_form_starts_from_the_current_level_and_measures(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    client.force_login(referral.people["dsl"])
    page = client.get(
        reverse("risk_assessment_review", args=[referral.pk, assessment.pk])
    ).content.decode()
    assert 'value="high" checked' in page
    assert 'value="transport" checked' in page
    assert 'value="online_safety" checked' not in page


def test_the_consider_form_is_accessible(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    client.force_login(referral.people["dsl"])
    response = client.get(reverse("risk_assessment_consider", args=[referral.pk]))
    assert_accessible_form(markup(response))


@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_detail_page_shows_the_assessment_reviews_and_history(time_machine, client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    time_machine.move_to(MONDAY + dt.timedelta(days=3))
    risk_services.risk_review(
        assessment=assessment,
        by=referral.people["dsl"],
        risk_level="low",
        measures=["trusted_adult", "online_safety"],
        what_changed="No contact since the change of bus.",
        young_people_say="She feels safer.",
        next_review_on=dt.date(2026, 12, 18),
    )
    client.force_login(referral.people["dsl"])
    response = client.get(assessment.get_absolute_url())
    page = response.content.decode()
    parsed = markup(response)
    assert parsed.headings[0] == 1
    for text in (
        "Immediate risk and needs assessment (sexual violence)",
        "Wants to stay in her form group",  # the victim
        "A trusted adult for the victim",  # a measure, in words
        "Social care strategy discussion",  # professional assessments
        "The school (DSL)",  # completed by
        "Review of 26 Nov 2026",
        "No contact since the change of bus.",
        "Online safety measures",  # the review's measures
        "Low risk",  # level in words, not colour alone
        "Met on time",  # the immediate clock
        "Green: on track",  # the review clock
        "Required",
        "Completed",
        "Reviewed",
    ):
        assert text in page, text
    assert CaseAccessLog.objects.filter(
        referral=referral, user=referral.people["dsl"], page="risk_assessment_detail"
    ).exists()


@pytest.mark.time_machine(MONDAY, tick=False)
def test_rag_in_words_when_the_immediate_assessment_is_overdue(time_machine, client):
    referral = referral_with(SEXUAL_VIOLENCE)
    time_machine.move_to(MONDAY + dt.timedelta(days=2))
    client.force_login(referral.people["dsl"])
    page = client.get(reverse("risk_assessment_list", args=[referral.pk])).content.decode()
    assert "Red: overdue" in page
    assert "Immediate risk and needs assessment, due Tue 24 Nov, 17:00" in page


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.time_machine(MONDAY, tick=False)
def test_list_page_queries_do_not_grow_with_assessments_and_reviews(
    client, django_assert_max_num_queries
):
    referral = referral_with(SEXUAL_VIOLENCE)
    dsl = referral.people["dsl"]
    client.force_login(dsl)
    url = reverse("risk_assessment_list", args=[referral.pk])
    few = _list_queries(client, url)
    assessment = completed(referral)
    for n in range(3):
        assessment = risk_services.risk_review(
            assessment=assessment,
            by=dsl,
            risk_level="medium",
            measures=["supervision"],
            what_changed=f"Review {n}",
            young_people_say="",
            next_review_on=dt.date(2026, 12, 20),
        )
        risk_services.risk_consider(case=referral, by=dsl, needed=n % 2 == 0, reason="Seen.")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("/risk-assessments/") >= 5
    assert "Consider whether a risk assessment is needed" in page
    assert CaseAccessLog.objects.filter(referral=referral, page="risk_assessment_list").count() == 2


@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_case_section_adds_at_most_two_queries(django_assert_max_num_queries):
    referral = referral_with(SEXUAL_VIOLENCE + EXPLOITATION)
    completed(referral)
    risk_services.risk_consider(
        case=referral, by=referral.people["dsl"], needed=False, reason="Covered above."
    )
    dsl = referral.people["dsl"]
    referral = SchoolReferral.objects.get(pk=referral.pk)
    deadlines = list(case_deadlines(referral, dsl))  # the case page has these already
    with django_assert_max_num_queries(2):
        html = render_to_string(
            "referrals/risk/_case_section.html",
            {"referral": referral, "deadlines": deadlines},
        )
    for text in (
        "<h2",
        "Immediate risk and needs assessment (sexual violence)",
        "Exploitation risk assessment",
        "Risk assessment (considered case by case)",
        "Completed, under review",
        "Considered: not required",
        "High risk",
        "21 Dec 2026",  # next review
        "Green: on track",
        "Risk assessment review, due Mon 21 Dec, 17:00",
        "Exploitation risk assessment, due Mon 30 Nov, 17:00",
    ):
        assert text in html, text


def test_the_case_section_without_any_assessment_says_so():
    referral = referral_with(["bullying"])
    html = render_to_string("referrals/risk/_case_section.html", {"referral": referral})
    assert "No risk assessment has been started or considered" in html
    assert reverse("risk_assessment_list", args=[referral.pk]) in html


@pytest.mark.time_machine(MONDAY, tick=False)
def test_the_case_page_shows_the_section_and_its_queries_do_not_grow(
    client, django_assert_max_num_queries
):
    referral = referral_with(SEXUAL_VIOLENCE)
    dsl = referral.people["dsl"]
    client.force_login(dsl)
    url = reverse("referral_detail", args=[referral.pk])
    few = _list_queries(client, url)
    completed(referral)
    for n in range(3):
        risk_services.risk_consider(case=referral, by=dsl, needed=n % 2 == 0, reason="Seen.")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    page = response.content.decode()
    assert 'id="risk-assessments"' in page
    assert page.count("Risk assessment (considered case by case)") == 3
