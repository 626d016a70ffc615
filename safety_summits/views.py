"""School Partnership Meeting pages: parse input, call one service or selector, render.
Every read goes through SchoolPartnershipMeeting.objects.visible_to (selectors.
visible_meeting opens the case for the read log), so anyone outside the case gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casework.errors import CaseError
from casework.forms import WorkShowForm
from casework.lists import keep_filters
from casework.pages import on_valid_post, posted_version
from referrals.plans.selectors import action_owner_choices
from safety_summits import outcomes, permissions, services
from safety_summits.choices import MeetingState
from safety_summits.forms import (
    AgendaForm,
    CancelForm,
    DiscussionForm,
    HoldForm,
    MeetingActionForm,
    PreMeetingForm,
    RescheduleForm,
    WhenForm,
    when_initial,
)
from safety_summits.selectors import (
    attendee_choices,
    meeting_content,
    meeting_page,
    visible_meeting,
)


def _runner(request, pk):
    meeting = visible_meeting(request.user, pk)
    if not permissions.may_run(request.user, meeting):
        raise PermissionDenied
    return meeting


@login_required
def meeting_list(request):
    form = WorkShowForm(request.GET)
    show = form.show_value()
    page = meeting_page(request.user, request.GET.get("page"), show=show)
    return render(
        request,
        "safety_summits/list.html",
        {"page": keep_filters(page, request.GET), "form": form, "show": show},
    )


def _detail(request, meeting, *, error=None, status=200):
    return render(
        request,
        "safety_summits/detail.html",
        {
            "meeting": meeting,
            "referral": meeting.referral,
            "error": error,
            **permissions.offers(request.user, meeting),
            **meeting_content(meeting),
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk):
    return _detail(request, visible_meeting(request.user, pk))


def _page(request, meeting, form, *, title, template="safety_summits/form.html", extra=None):
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "referral": meeting.referral,
            "form": form,
            "title": title,
            **(extra or {}),
        },
    )


def _when_initial(meeting):
    return {
        **when_initial(meeting),
        "format": meeting.format,
        "place": meeting.place,
        "agenda": meeting.agenda,
    }


def _when(data):
    return {
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
        "format": data["format"],
        "place": data["place"],
        "agenda": data["agenda"],
        "expected_version": data["version"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request, pk):
    meeting = _runner(request, pk)
    form = WhenForm(request.POST or None, initial=_when_initial(meeting))
    done = on_valid_post(
        request,
        form,
        lambda data: services.meeting_schedule(meeting=meeting, by=request.user, **_when(data)),
        done="The meeting is scheduled. The school's designated safeguarding leads have been "
        "told and asked for the pre-meeting document.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(request, meeting, form, title="Schedule the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = _runner(request, pk)
    form = RescheduleForm(request.POST or None, initial=_when_initial(meeting))
    done = on_valid_post(
        request,
        form,
        lambda data: services.meeting_reschedule(
            meeting=meeting, by=request.user, reason=data["reason"], **_when(data)
        ),
        done="The meeting has moved. The invitees have been told, with the reason.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(request, meeting, form, title="Reschedule the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_agenda(request, pk):
    meeting = _runner(request, pk)
    form = AgendaForm(
        request.POST or None, initial={"version": meeting.version, "agenda": meeting.agenda}
    )
    done = on_valid_post(
        request,
        form,
        lambda data: services.agenda_save(
            meeting=meeting,
            by=request.user,
            agenda=data["agenda"],
            expected_version=data["version"],
        ),
        done="The agenda is saved."
        if meeting.state == MeetingState.PLANNED
        else "The agenda is saved. The invitees have been told it changed.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(request, meeting, form, title="Agenda")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = _runner(request, pk)
    form = CancelForm(request.POST or None, initial={"version": meeting.version})
    done = on_valid_post(
        request,
        form,
        lambda data: services.meeting_cancel(
            meeting=meeting,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="The meeting is cancelled. The invitees have been told, with the reason.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(request, meeting, form, title="Cancel the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_pre_meeting(request, pk):
    meeting = visible_meeting(request.user, pk)
    if not permissions.may_prepare(request.user, meeting):
        raise PermissionDenied
    fields = services.PRE_MEETING_FIELDS
    initial = {"version": meeting.version, **{n: getattr(meeting, n) for n in fields}}
    form = PreMeetingForm(request.POST or None, initial=initial)
    complete = request.POST.get("complete") == "yes"
    done = on_valid_post(
        request,
        form,
        lambda data: services.pre_meeting_save(
            meeting=meeting,
            by=request.user,
            data={n: data[n] for n in fields},
            complete=complete,
            expected_version=data["version"],
        ),
        done="The pre-meeting document is complete. The lead has been told."
        if complete
        else "The pre-meeting document is saved. Come back to it before the meeting.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(
        request,
        meeting,
        form,
        title="Pre-meeting document",
        template="safety_summits/pre_meeting.html",
        extra={"may_prepare": permissions.offers(request.user, meeting)["may_prepare"]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request, pk):
    """The record of the meeting: what it found about each peer group and place, and the
    actions it agreed, added one at a time; then marked held."""
    meeting = _runner(request, pk)
    post = request.POST if request.method == "POST" else None
    kind = request.POST.get("add") if post else None
    version = {"version": meeting.version}
    discussion = DiscussionForm(post if kind == "discussion" else None, initial=version)
    owners = action_owner_choices(meeting.referral)
    action = MeetingActionForm(post if kind == "action" else None, initial=version, owners=owners)
    form = discussion if kind == "discussion" else action

    def save(data):
        data = dict(data)
        expected = data.pop("version")
        call = outcomes.discussion_add if kind == "discussion" else outcomes.action_add
        return call(meeting=meeting, by=request.user, expected_version=expected, **data)

    if kind in ("discussion", "action"):
        done = on_valid_post(
            request,
            form,
            save,
            done="Added to the record of the meeting.",
            then=reverse("partnership_meeting_record", args=[meeting.pk]),
        )
        if done:
            return done
    return render(
        request,
        "safety_summits/record.html",
        {
            "meeting": meeting,
            "referral": meeting.referral,
            "discussion_form": discussion,
            "action_form": action,
            "may_record": permissions.offers(request.user, meeting)["may_record"],
            **meeting_content(meeting),
        },
    )


@login_required
@require_POST
def meeting_remove(request, pk, kind, item_pk):
    if kind not in ("discussions", "actions"):
        raise Http404
    meeting = _runner(request, pk)
    try:
        outcomes.item_remove(
            meeting=meeting,
            by=request.user,
            kind=kind,
            item_id=item_pk,
            expected_version=posted_version(request),
        )
    except CaseError as exc:
        return _detail(request, meeting, error=exc.message, status=409)
    messages.success(request, "Removed from the record of the meeting.")
    return redirect("partnership_meeting_record", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_hold(request, pk):
    meeting = _runner(request, pk)
    people = attendee_choices(meeting.referral)
    form = HoldForm(request.POST or None, initial={"version": meeting.version}, people=people)
    done = on_valid_post(
        request,
        form,
        lambda data: outcomes.meeting_hold(
            meeting=meeting,
            by=request.user,
            attendees=data["attendees"],
            other_attendees=data["other_attendees"],
            terms_agreed=data["terms_agreed"],
            terms_version=data["terms_version"],
            terms_agreed_on=data["terms_agreed_on"],
            terms_agreed_by=data["terms_agreed_by"],
            notes=data["notes"],
            without_document_reason=data["without_document_reason"],
            expected_version=data["version"],
        ),
        done="The meeting is recorded as held and its actions are on the case plan. Send "
        "the safety plan to the attendees next.",
        then=meeting.get_absolute_url(),
    )
    return done or _page(
        request,
        meeting,
        form,
        title="Mark the meeting held",
        template="safety_summits/hold.html",
        extra=meeting_content(meeting),
    )


@login_required
@require_POST
def meeting_distribute(request, pk):
    meeting = _runner(request, pk)
    try:
        outcomes.meeting_distribute(
            meeting=meeting, by=request.user, expected_version=posted_version(request)
        )
    except CaseError as exc:
        return _detail(request, meeting, error=exc.message, status=409)
    messages.success(request, "The safety plan has been sent to the attendees with accounts.")
    return redirect(meeting)
