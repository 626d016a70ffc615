"""Case documents: the outcome letter to the school (page and PDF), the minutes of a panel
meeting (page and PDF) and a meeting's calendar invitation.

Referrals are read only through SchoolReferral.objects.visible_to (visible_case), so the
school's DSLs see their own letter and a 404 is all anyone outside the case gets. Meetings and
minutes are read only through PanelMeeting.objects.visible_to: panel members, never the
school. The letter opens its case and the minutes each case they discuss (casework.reads).

The PDFs are the same HTML body as the pages, rendered by casework.pdf (WeasyPrint, with a
URL fetcher that fetches nothing)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from accounts.models import SchoolMembership, SchoolRole
from casework.pdf import render_pdf
from panels.choices import Level, MeetingState
from panels.models import PanelMeeting
from panels.selectors import current_decision, minutes_content, open_minutes_cases
from referrals.selectors import visible_case

# --- the outcome letter ------------------------------------------------------------------


def _letter(request, pk, *, pdf):
    referral = visible_case(request.user, pk)
    decision = current_decision(referral)
    if decision is None:
        raise Http404("No decision has been recorded on this referral yet.")
    memberships = SchoolMembership.objects.filter(school_id=referral.school_id).select_related(
        "user"
    )
    dsls = sorted(memberships, key=lambda m: (m.role != SchoolRole.DSL, str(m.user)))
    meeting = decision.meeting
    panel = meeting.panel if meeting else referral.panel
    return {
        "referral": referral,
        "school": referral.school,
        "decision": decision,
        "previous": decision.supersedes,
        "indicators": list(decision.indicators.all()),
        "below_threshold": decision.level == Level.BELOW_THRESHOLD,
        "dsls": dsls,
        "panel": panel,
        "meeting": meeting,
        "pdf": pdf,
        "pdf_filename": _letter_filename(referral),
    }


def _letter_filename(referral):
    return f"outcome-{referral.reference or f'referral-{referral.pk}'}.pdf"


@login_required
@require_safe
@never_cache
def outcome_letter(request, pk):
    return render(request, "panels/outcome_letter.html", _letter(request, pk, pdf=False))


@login_required
@require_safe
@never_cache
def outcome_letter_pdf(request, pk):
    context = _letter(request, pk, pdf=True)
    referral = context["referral"]
    return render_pdf(
        request,
        body=render_to_string("panels/_letter_body.html", context, request=request),
        title=f"Outcome of referral {referral.reference}",
        filename=context["pdf_filename"],
    )


# --- minutes -----------------------------------------------------------------------------


def _meeting(request, pk):
    return get_object_or_404(
        PanelMeeting.objects.visible_to(request.user).select_related("panel"), pk=pk
    )


def _parse(value, parse):
    try:
        return parse(value) if value else value
    except (TypeError, ValueError):
        return value  # shown as it was frozen


def _readable(content):
    """Minutes content (frozen JSON or live) with its dates as dates, for the template."""
    content = dict(content)
    content["starts_at"] = _parse(content.get("starts_at"), dt.datetime.fromisoformat)
    content["decisions"] = [
        {**d, "start_by": _parse(d.get("start_by"), dt.date.fromisoformat)}
        for d in content.get("decisions", [])
    ]
    return content


def _minutes(request, pk, *, pdf):
    """The latest approved version; or the one asked for with ?version=N; or, before any
    approval (or with ?version=draft while minutes are not approved), a live draft."""
    meeting = _meeting(request, pk)
    versions = list(meeting.minutes.select_related("approved_by").order_by("-number"))
    wanted = request.GET.get("version", "")
    unapproved = meeting.state != MeetingState.MINUTES_APPROVED
    if (wanted == "draft" and unapproved) or not (versions or wanted):
        shown, content = None, minutes_content(meeting)
    elif wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)
        if shown is None:
            raise Http404("There is no such version of these minutes.")
        content = shown.content
    else:
        shown = versions[0]
        content = shown.content
    open_minutes_cases(content)
    latest = versions[0] if versions else None
    starts = timezone.localtime(meeting.starts_at)
    label = f"v{shown.number}" if shown else "draft"
    return {
        "meeting": meeting,
        "minutes": _readable(content),
        "version": shown,
        "latest": latest,
        "versions": versions,
        "is_draft": shown is None,
        "amending": bool(versions) and unapproved,
        "amendment_reason": meeting.amendment_reason,
        "pdf": pdf,
        "pdf_query": f"?version={wanted}" if wanted else "",
        "pdf_filename": f"minutes-{slugify(meeting.panel.name)}-{starts:%Y-%m-%d}-{label}.pdf",
    }


@login_required
@require_safe
@never_cache
def meeting_minutes(request, pk):
    return render(request, "panels/minutes.html", _minutes(request, pk, pdf=False))


@login_required
@require_safe
@never_cache
def meeting_minutes_pdf(request, pk):
    context = _minutes(request, pk, pdf=True)
    meeting = context["meeting"]
    return render_pdf(
        request,
        body=render_to_string("panels/_minutes_body.html", context, request=request),
        title=f"Minutes of {meeting}",
        filename=context["pdf_filename"],
    )


# --- calendar invitation -----------------------------------------------------------------


@login_required
@require_safe
@never_cache
def meeting_ics(request, pk):
    meeting = _meeting(request, pk)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    calendar = Calendar()
    calendar.add("prodid", "-//School context referrals//Panel meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@school-referrals")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC).replace(microsecond=0))
    event.add("sequence", meeting.version)
    event.add("summary", meeting.panel.name)
    event.add("location", meeting.place)
    event.add(
        "description",
        f"Meeting of {meeting.panel.name}. The agenda and papers are on the meeting's page "
        f"(sign in to see them): {url}",
    )
    event.add("url", url)
    calendar.add_component(event)
    starts = timezone.localtime(meeting.starts_at)
    filename = f"{slugify(meeting.panel.name)}-{starts:%Y-%m-%d}.ics"
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
