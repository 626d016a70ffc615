"""The summit report (a page to print, and the same body as a PDF) and the calendar file.
Read through visible_summit, like every summit page; the report shows each reader only the
schools they may see, so a DSL's copy carries only their own school's part."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from casework.pdf import render_pdf
from safety_summits.calendar import invitation
from safety_summits.summit.choices import AFTER_STATES, SummitState
from safety_summits.summit.selectors import summit_content, visible_summit


def _report(request, pk, *, pdf):
    summit = visible_summit(request.user, pk)
    if summit.state not in AFTER_STATES:
        raise Http404("The summit report exists once the summit is held.")
    return {
        "summit": summit,
        "pdf": pdf,
        "pdf_filename": f"safety-summit-{summit.pk}-report.pdf",
        **summit_content(summit, request.user),
    }


@login_required
@require_safe
@never_cache
def summit_report(request, pk):
    return render(request, "safety_summits/summit/report.html", _report(request, pk, pdf=False))


@login_required
@require_safe
@never_cache
def summit_report_pdf(request, pk):
    context = _report(request, pk, pdf=True)
    summit = context["summit"]
    return render_pdf(
        request,
        body=render_to_string("safety_summits/summit/_report_body.html", context, request=request),
        title=f"Student Safety Summit report: {summit.host_school or summit.referral.school}",
        filename=context["pdf_filename"],
    )


@login_required
@require_safe
@never_cache
def summit_ics(request, pk):
    summit = visible_summit(request.user, pk)
    if summit.state != SummitState.SCHEDULED:
        raise Http404("Only a scheduled summit has a calendar invitation.")
    return invitation(
        request,
        summit,
        uid=f"safety-summit-{summit.pk}",
        summary=f"Student Safety Summit at {summit.host_school.name}",
        location=summit.place,
        filename="safety-summit",
    )
