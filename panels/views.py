"""Context panel pages. Meetings go through PanelMeeting.objects.visible_to (panel members
only); referrals through SchoolReferral.objects.visible_to (visible_case, which opens the
case for the read log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import school_search
from accounts.models import ContextPanel
from accounts.roles import Roles
from casework.errors import CaseError, show_on_form
from casework.lists import keep_filters
from casework.pages import posted_version
from panels import services
from panels.choices import MeetingState
from panels.forms import (
    AgendaReasonForm,
    AmendMinutesForm,
    AttendanceForm,
    CancelForm,
    ConflictForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    RescheduleForm,
    meeting_initial,
)
from panels.models import (
    AgendaChange,
    ConflictOfInterest,
    MeetingChange,
    PanelMeeting,
    ThresholdDecision,
)
from panels.selectors import (
    agenda,
    conflict_schools,
    current_decision,
    meetings_for,
    waiting_for,
)
from referrals.selectors import visible_case


def _meeting(request, pk):
    return get_object_or_404(
        PanelMeeting.objects.visible_to(request.user).select_related("panel"), pk=pk
    )


def _is_chair(request, panel):
    return panel.pk in Roles.for_user(request.user).chaired_panel_ids


@login_required
def panels_home(request):
    roles = Roles.for_user(request.user)
    if not roles.is_panel_member:
        raise PermissionDenied
    upcoming, past = meetings_for(request.user, request.GET.get("page"))
    return render(
        request,
        "panels/home.html",
        {
            "panels": ContextPanel.objects.filter(pk__in=roles.panel_ids),
            "upcoming": upcoming,
            "past": keep_filters(past, request.GET),
            "now": timezone.now(),
            "conflicts": ConflictOfInterest.objects.filter(user=request.user).select_related(
                "school"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, panel_pk):
    panel = get_object_or_404(ContextPanel, pk=panel_pk)
    if not _is_chair(request, panel):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(panel=panel, by=request.user, **form.when())
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Meeting scheduled. Members have been sent the details.")
            return redirect(meeting)
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": f"Schedule a meeting of {panel.name}",
            "button": "Schedule",
            "back": f"/panels/{panel.pk}/",
        },
    )


@login_required
def panel_detail(request, panel_pk):
    """A panel's page: its next meeting and every referral waiting for it, with or without a
    meeting, a page at a time; each with its decision clock beside the next meeting."""
    roles = Roles.for_user(request.user)
    if panel_pk not in roles.panel_ids:
        raise PermissionDenied
    panel = get_object_or_404(ContextPanel, pk=panel_pk)
    following, waiting = waiting_for(panel, request.user, request.GET.get("page"))
    return render(
        request,
        "panels/panel.html",
        {
            "panel": panel,
            "next_meeting": following,
            "waiting": keep_filters(waiting, request.GET),
            "is_chair": panel.pk in roles.chaired_panel_ids,
        },
    )


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    # The page shows the agenda only before the meeting closes: read (and log) it only then.
    shows_agenda = meeting.state in (MeetingState.SCHEDULED, MeetingState.IN_SESSION)
    items, deferred = agenda(meeting, request.user) if shows_agenda else ([], [])
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "deferred": deferred,
            "is_chair": _is_chair(request, meeting.panel),
            "decisions": ThresholdDecision.objects.filter(meeting=meeting).select_related(
                "referral__school", "decided_by"
            ),
            "attendees": meeting.attendees.all(),
            "apologies": meeting.apologies.all(),
            "changes": MeetingChange.objects.filter(meeting=meeting).select_related("by"),
        },
    )


def _chair_form(request, meeting, form, call, *, title, button, done, intro=""):
    if not _is_chair(request, meeting.panel):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(meeting)
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "back": meeting.get_absolute_url(),
            "caption": str(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_open(request, pk):
    meeting = _meeting(request, pk)
    refusal = services.meeting_open_refusal(meeting)
    if refusal and _is_chair(request, meeting.panel):
        messages.error(request, refusal)
        return redirect(meeting)
    form = AttendanceForm(
        request.POST or None, meeting=meeting, initial={"version": meeting.version}
    )
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.meeting_open(
            meeting=meeting,
            by=request.user,
            attendees=d["attendees"],
            apologies=d["apologies"],
            expected_version=d["version"],
        ),
        title="Open the meeting",
        button="Open the meeting",
        done="The meeting is in session.",
        intro="Record who is here. Members who declared a conflict for a school take no part "
        "in its decision.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = _meeting(request, pk)
    if meeting.state != MeetingState.SCHEDULED and _is_chair(request, meeting.panel):
        messages.error(request, "Only a meeting that is still to be held can be rescheduled.")
        return redirect(meeting)
    form = RescheduleForm(request.POST or None, initial=meeting_initial(meeting))
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.meeting_reschedule(
            meeting=meeting,
            by=request.user,
            reason=d["reason"],
            expected_version=d["version"],
            **form.when(),
        ),
        title="Reschedule the meeting",
        button="Reschedule",
        done="Meeting rescheduled. Members have been sent the new date, time and place.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk)
    if meeting.state != MeetingState.SCHEDULED and _is_chair(request, meeting.panel):
        messages.error(request, "Only a meeting that is still to be held can be cancelled.")
        return redirect(meeting)
    form = CancelForm(request.POST or None, initial={"version": meeting.version})
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.meeting_cancel(
            meeting=meeting, by=request.user, reason=d["reason"], expected_version=d["version"]
        ),
        title="Cancel the meeting",
        button="Cancel the meeting",
        done="Meeting cancelled. Members have been told why.",
        intro="Referrals waiting for the panel stay waiting and go to its next meeting; items "
        "marked urgent for this one stay urgent there.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_draft(request, pk):
    meeting = _meeting(request, pk)
    form = MinutesForm(
        request.POST or None, initial={"version": meeting.version, "actions": meeting.actions}
    )
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.meeting_draft_minutes(
            meeting=meeting, by=request.user, actions=d["actions"], expected_version=d["version"]
        ),
        title="Close the meeting and draft the minutes",
        button="Draft the minutes",
        done="Minutes drafted. Check them, then approve.",
        intro="The minutes list attendance, every decision with its rationale, deferred items "
        "and the actions you record here.",
    )


@login_required
@require_POST
def meeting_minutes_approve(request, pk):
    meeting = _meeting(request, pk)
    if not _is_chair(request, meeting.panel):
        raise PermissionDenied
    try:
        services.meeting_approve_minutes(
            meeting=meeting, by=request.user, expected_version=posted_version(request)
        )
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Minutes approved. They are now fixed.")
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_amend(request, pk):
    meeting = _meeting(request, pk)
    form = AmendMinutesForm(request.POST or None, initial={"version": meeting.version})
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.meeting_amend_minutes(
            meeting=meeting, by=request.user, reason=d["reason"], expected_version=d["version"]
        ),
        title="Amend approved minutes",
        button="Start a new version",
        done="A new version of the minutes is in draft. The approved version is kept.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_change(request, pk, referral_pk, kind):
    meeting = _meeting(request, pk)
    if kind not in AgendaChange.Kind.values:
        raise PermissionDenied
    referral = visible_case(request.user, referral_pk)
    form = AgendaReasonForm(request.POST or None)
    title = ("Mark as urgent" if kind == "urgent" else "Defer to the next meeting") + (
        f": {referral.reference}"
    )
    return _chair_form(
        request,
        meeting,
        form,
        lambda d: services.agenda_change(
            meeting=meeting, referral=referral, by=request.user, kind=kind, reason=d["reason"]
        ),
        title=title,
        button="Save",
        done="The agenda has changed.",
    )


def _decision_page(request, referral, form, call, *, title, meeting=None, previous=None):
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            call(data, version)
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request, "Decision recorded. The school has been sent the outcome letter."
            )
            return redirect(meeting or referral)
    return render(
        request,
        "panels/decision_form.html",
        {
            "form": form,
            "referral": referral,
            "meeting": meeting,
            "previous": previous,
            "title": title,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, pk, referral_pk):
    meeting = _meeting(request, pk)
    referral = visible_case(request.user, referral_pk)
    refusal = services.decision_refusal(by=request.user, referral=referral, meeting=meeting)
    if refusal:  # refused before the form, not after it is filled in
        messages.error(request, refusal)
        return redirect(meeting)
    form = DecisionForm(
        request.POST or None,
        referral=referral,
        initial={"version": referral.version, "indicators": list(referral.indicators.all())},
    )
    return _decision_page(
        request,
        referral,
        form,
        lambda d, v: services.decision_record(
            referral=referral, by=request.user, meeting=meeting, expected_version=v, **d
        ),
        title=f"Threshold decision: {referral.reference}",
        meeting=meeting,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_step(request, referral_pk):
    referral = visible_case(request.user, referral_pk)
    previous = current_decision(referral)
    if previous is None or referral.panel_id not in Roles.for_user(request.user).panel_ids:
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None, referral=referral, step=True, initial={"version": referral.version}
    )
    return _decision_page(
        request,
        referral,
        form,
        lambda d, v: services.decision_step(
            previous=previous, by=request.user, expected_version=v, **d
        ),
        title=f"Step up or step down: {referral.reference}",
        previous=previous,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict_new(request):
    roles = Roles.for_user(request.user)
    if not roles.is_panel_member:
        raise PermissionDenied
    form = ConflictForm(request.POST or None, schools=conflict_schools(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(user=request.user, **form.cleaned_data)
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Conflict of interest declared.")
            return redirect("panels_home")
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": "Declare a conflict of interest",
            "button": "Declare",
            "intro": "You will take no part in decisions about this school's referrals.",
            "back": "/panels/",
            "school_search": reverse("conflict_school_search"),
        },
    )


@login_required
@require_GET
def conflict_school_search(request):
    """The conflict form's school autocomplete: at most 20 schools of the member's panels'
    authorities by name or URN, as JSON (id, name, URN, town), and nothing about any case."""
    if not Roles.for_user(request.user).is_panel_member:
        raise PermissionDenied
    return school_search.suggestions(conflict_schools(request.user), request.GET.get("q", ""))
