"""Reads: the list, the workspace and the report, always through
SchoolAssessment.objects.visible_to, each assessment with its clock and RAG (one query for
all the clocks of a page). One assessment (visible_assessment) opens its case for the read
log; the list opens none (casework.reads)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.lists import capped_page_of, open_work_first
from casework.reads import opened
from notifications.selectors import clocks_of
from school_assessments.charts import bar_chart
from school_assessments.choices import DOMAIN_QUESTIONS, OPEN_STATES, Domain, Feeling
from school_assessments.completeness import missing_for_completion
from school_assessments.forms import SLUG_FOR_DOMAIN
from school_assessments.models import SchoolAssessment


def visible(user):
    return SchoolAssessment.objects.visible_to(user).select_related(
        "referral__school__authority", "lead"
    )


def visible_assessment(user, pk) -> SchoolAssessment:
    """The assessment `pk` if this person may read it now (otherwise a 404), its case opened."""
    assessment = get_object_or_404(visible(user), pk=pk)
    opened(assessment.referral)
    return assessment


@dataclass
class Row:
    assessment: SchoolAssessment
    deadlines: list = field(default_factory=list)


def assessment_page(user, number, now: dt.datetime | None = None, show: str = "open") -> Page:
    """One page of the assessments this person may see in one of casework.lists.WORK_SHOW's
    views (open ones, oldest first, by default), each with its running clocks (one query
    for the page's), counted up to the cap."""
    now = now or timezone.now()
    page = capped_page_of(open_work_first(visible(user), show, OPEN_STATES), number)
    assessments = list(page.object_list)
    clocks = clocks_of(SchoolAssessment, [a.pk for a in assessments], now)
    page.object_list = [
        Row(a, [c for c in clocks.get(a.pk, []) if c["rag"] != "done"]) for a in assessments
    ]
    return page


@dataclass
class DomainView:
    value: str
    label: str
    question: str
    slug: str
    row: object  # AssessmentDomain or None

    @property
    def status(self):
        if self.row is not None and self.row.is_complete:
            return "complete"
        if self.row is not None and self.row.is_started:
            return "started"
        return "not_started"


def survey_charts(results):
    """The survey results as two charts and their tables: where pupils feel unsafe, and
    where they feel safe, each largest share first."""
    charts = []
    for feeling, title in (
        (Feeling.UNSAFE, "Where pupils feel unsafe"),
        (Feeling.SAFE, "Where pupils feel safe"),
    ):
        rows = [r for r in results if r.feeling == feeling]
        if not rows:
            continue
        rows.sort(key=lambda r: (-r.percent, r.place.lower()))
        charts.append(
            {
                "feeling": feeling,
                "title": title,
                "rows": rows,
                "svg": bar_chart(
                    [(r.place, r.percent) for r in rows],
                    title=title,
                    description=f"Share of survey respondents who feel {feeling} in each "
                    "place, largest first. The same figures are in the table.",
                    unit="%",
                    max_value=100,
                    chart_id=f"survey-{feeling}",
                ),
            }
        )
    return charts


def assessment_content(assessment, now=None):
    """Everything the workspace, the DSL's view and the report show, in a handful of
    queries whatever the number of methods and results."""
    now = now or timezone.now()
    rows = {d.domain: d for d in assessment.domains.all()}
    methods = list(assessment.methods.select_related("added_by"))
    results = list(assessment.survey_results.all())
    domains = [
        DomainView(
            value, label, DOMAIN_QUESTIONS[Domain(value)], SLUG_FOR_DOMAIN[value], rows.get(value)
        )
        for value, label in Domain.choices
    ]
    return {
        "domains": domains,
        "methods": methods,
        "survey_results": results,
        "charts": survey_charts(results),
        "completion_problems": missing_for_completion(
            assessment, domains=rows, method_count=len(methods)
        ),
        "deadlines": clocks_of(SchoolAssessment, [assessment.pk], now)[assessment.pk],
    }


def open_assessment_for_case(user, referral):
    """The case's latest assessment this person may see (for a link from the case page)."""
    return visible(user).filter(referral=referral).order_by("-created_at", "-pk").first()
