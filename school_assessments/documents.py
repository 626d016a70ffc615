"""The School Assessment report: a page to read and print, and the same body as a PDF.

Read only through SchoolAssessment.objects.visible_to, like every other page of the app, so
the school's DSLs get the report once the assessment is shared with them and nobody outside
the case gets anything but a 404.

The PDF is rendered by WeasyPrint with static/css/print.css and a URL fetcher that fetches
nothing (casework.pdf), so free text in a report can never make the server load
a URL or read a file. The survey chart is inline SVG, which WeasyPrint draws itself."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import SchoolMembership, SchoolRole
from casework.pdf import render_pdf
from school_assessments.selectors import assessment_content, visible_assessment


def _filename(assessment):
    reference = assessment.referral.reference or f"referral-{assessment.referral_id}"
    return f"school-assessment-{reference}.pdf"


def _report(request, pk, *, pdf):
    assessment = visible_assessment(request.user, pk)
    memberships = SchoolMembership.objects.filter(
        school_id=assessment.referral.school_id
    ).select_related("user")
    dsls = sorted(memberships, key=lambda m: (m.role != SchoolRole.DSL, str(m.user)))
    return {
        "assessment": assessment,
        "referral": assessment.referral,
        "school": assessment.referral.school,
        "dsls": dsls,
        "pdf": pdf,
        "pdf_filename": _filename(assessment),
        **assessment_content(assessment),
    }


@login_required
@require_safe
@never_cache
def assessment_report(request, pk):
    return render(request, "school_assessments/report.html", _report(request, pk, pdf=False))


@login_required
@require_safe
@never_cache
def assessment_report_pdf(request, pk):
    context = _report(request, pk, pdf=True)
    return render_pdf(
        request,
        body=render_to_string("school_assessments/_report_body.html", context, request=request),
        title=f"School Assessment of {context['school'].name}",
        filename=context["pdf_filename"],
    )
