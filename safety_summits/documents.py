"""The safety plan: the meeting's findings, actions and notes as a page to print and the
same body as a PDF (casework.pdf), once the meeting is held. Read through visible_meeting,
like every page of the app."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from casework.pdf import render_pdf
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
    """A calendar invitation for a scheduled meeting: its time and place, no case content
    beyond the school's name; the details are on the meeting's page, behind sign-in. Its
    SEQUENCE is the meeting's version, so a rescheduled meeting updates the entry."""
    meeting = visible_meeting(request.user, pk)
    if meeting.state != MeetingState.SCHEDULED:
        raise Http404("Only a scheduled meeting has a calendar invitation.")
    url = request.build_absolute_uri(meeting.get_absolute_url())
    calendar = Calendar()
    calendar.add("prodid", "-//School context referrals//Partnership meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"partnership-meeting-{meeting.pk}@school-referrals")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC).replace(microsecond=0))
    event.add("sequence", meeting.version)
    event.add("summary", f"School Partnership Meeting: {meeting.referral.school.name}")
    event.add("location", meeting.place)
    event.add("description", f"The details are on the meeting's page (sign in): {url}")
    event.add("url", url)
    calendar.add_component(event)
    starts = timezone.localtime(meeting.starts_at)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    filename = f"partnership-meeting-{starts:%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
