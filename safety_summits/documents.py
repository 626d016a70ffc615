"""The safety plan: the meeting's findings, actions and notes as a page to print and the
same body as a PDF (casework.pdf), once the meeting is held. Read through visible_meeting,
like every page of the app."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from casework.pdf import render_pdf
from safety_summits.calendar import invitation
from safety_summits.choices import MeetingState
from safety_summits.selectors import meeting_content, visible_meeting


def _plan(request, pk, *, pdf):
    meeting = visible_meeting(request.user, pk)
    if meeting.state not in (MeetingState.HELD, MeetingState.PLAN_DISTRIBUTED):
        raise Http404("The safety plan exists once the meeting is held.")
    reference = meeting.referral.reference or f"referral-{meeting.referral_id}"
    return {
        "meeting": meeting,
        "referral": meeting.referral,
        "pdf": pdf,
        "pdf_filename": f"safety-plan-{reference}.pdf",
        **meeting_content(meeting),
    }


@login_required
@require_safe
@never_cache
def safety_plan(request, pk):
    return render(request, "safety_summits/plan.html", _plan(request, pk, pdf=False))


@login_required
@require_safe
@never_cache
def safety_plan_pdf(request, pk):
    context = _plan(request, pk, pdf=True)
    return render_pdf(
        request,
        body=render_to_string("safety_summits/_plan_body.html", context, request=request),
        title=f"Safety plan: {context['referral'].school.name}",
        filename=context["pdf_filename"],
    )


@login_required
@require_safe
@never_cache
def meeting_ics(request, pk):
    """A calendar invitation for a scheduled meeting (safety_summits.calendar)."""
    meeting = visible_meeting(request.user, pk)
    if meeting.state != MeetingState.SCHEDULED:
        raise Http404("Only a scheduled meeting has a calendar invitation.")
    return invitation(
        request,
        meeting,
        uid=f"partnership-meeting-{meeting.pk}",
        summary=f"School Partnership Meeting: {meeting.referral.school.name}",
        location=meeting.place,
        filename="partnership-meeting",
    )
