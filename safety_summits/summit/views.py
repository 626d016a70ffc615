"""Student Safety Summit pages: parse input, call one service or selector, render. Every
read goes through SafetySummit.objects.visible_to (selectors.visible_summit opens the case
for the read log), so anyone outside the summit gets a 404; a DSL sees only their school's
part (selectors.summit_content)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import School
from casework.errors import CaseError, show_on_form
from casework.forms import WorkShowForm
from casework.lists import keep_filters
from casework.pages import on_valid_post, posted_version
from referrals.plans.selectors import action_owner_choices
from safety_summits.forms import when_initial
from safety_summits.summit import day, follow_up, permissions, services
from safety_summits.summit.forms import (
    InviteeForm,
    PlaceForm,
    PlanningForm,
    ReferBackForm,
    ResponseForm,
    SchoolSearchForm,
    SummitActionForm,
    SummitCancelForm,
    SummitHoldForm,
    SummitRescheduleForm,
    SummitWhenForm,
    TurnoutForm,
    VoiceForm,
)
from safety_summits.summit.selectors import (
    reads_case,
    summit_content,
    summit_page,
    visible_summit,
)

SCHOOL_MATCHES = 20


def _runner(request, pk):
    summit = visible_summit(request.user, pk)
    if not permissions.may_run(request.user, summit):
        raise PermissionDenied
    return summit


def _schools(summit):
    return list(
        School.objects.filter(
            Q(pk__in=summit.schools.values("pk")) | Q(pk=summit.referral.school_id)
        )
        .distinct()
        .order_by("name")
    )


def _context(request, summit, **extra):
    return {
        "summit": summit,
        "referral": summit.referral,
        "reads_case": reads_case(request.user, summit),
        **permissions.offers(request.user, summit),
        **extra,
    }


@login_required
def summit_list(request):
    form = WorkShowForm(request.GET)
    show = form.show_value()
    page = summit_page(request.user, request.GET.get("page"), show=show)
    return render(
        request,
        "safety_summits/summit/list.html",
        {"page": keep_filters(page, request.GET), "form": form, "show": show},
    )


def _detail(request, summit, *, error=None, status=200):
    return render(
        request,
        "safety_summits/summit/detail.html",
        _context(request, summit, error=error, **summit_content(summit, request.user)),
        status=status,
    )


@login_required
def summit_detail(request, pk):
    return _detail(request, visible_summit(request.user, pk))


def _form_page(
    request, summit, form, *, title, template="safety_summits/summit/form.html", **extra
):
    return render(request, template, _context(request, summit, form=form, title=title, **extra))


def _button(request, summit, call, *, done, then):
    """A button's POST (no form to fill): run `call(expected_version)`; a refusal shows on
    the summit's page (409), success says so and moves on."""
    try:
        call(posted_version(request))
    except CaseError as exc:
        return _detail(request, summit, error=exc.message, status=409)
    messages.success(request, done)
    return redirect(then)


def _posted(request, summit, form, call, *, done, then=None):
    return on_valid_post(request, form, call, done=done, then=then or summit.get_absolute_url())


# --- planning ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def summit_plan(request, pk):
    summit = _runner(request, pk)
    initial = {
        "version": summit.version,
        "activities": summit.activities,
        "young_people_invited": summit.young_people_invited,
        "inclusion": summit.inclusion,
    }
    form = PlanningForm(request.POST or None, initial=initial)
    done = _posted(
        request,
        summit,
        form,
        lambda data: services.plan_save(
            summit=summit,
            by=request.user,
            activities=data["activities"],
            young_people_invited=data["young_people_invited"],
            inclusion=data["inclusion"],
            expected_version=data["version"],
        ),
        done="The summit's plan is saved.",
    )
    return done or _form_page(request, summit, form, title="Plan the summit")


@login_required
@require_http_methods(["GET", "POST"])
def summit_schools(request, pk):
    """Invite schools and colleges of the authority, found by name or URN (never a list of
    every school)."""
    summit = _runner(request, pk)
    form = SchoolSearchForm(request.POST or None, initial={"version": summit.version})
    query = (request.POST.get("query") or "").strip()
    matches = []
    if query:
        found = School.objects.filter(authority_id=summit.referral.school.authority_id).filter(
            Q(name__icontains=query) | Q(urn=query)
        )
        matches = list(found.order_by("name")[: SCHOOL_MATCHES + 1])
    # The matches are the choices, so a school picked from them is valid.
    form.fields["school"].choices = [(s.pk, str(s)) for s in matches[:SCHOOL_MATCHES]]
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("school")
        school = next((s for s in matches if s.pk == chosen), None)
        if school is None and len(matches) == 1:
            school = matches[0]
        if not matches:
            form.add_error("query", "No school or college of this local authority matches that")
        elif school is None and request.POST.get("picking") == "yes":
            form.add_error("school", "Choose the school or college to invite")
        elif school is not None:
            try:
                services.school_invite(
                    summit=summit,
                    by=request.user,
                    school=school,
                    expected_version=form.cleaned_data["version"],
                )
            except CaseError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"{school.name} is invited.")
                return redirect("safety_summit_schools", pk=summit.pk)
    return _form_page(
        request,
        summit,
        form,
        title="Invite schools and colleges",
        template="safety_summits/summit/schools.html",
        invited=_schools(summit),
        matches=matches,
        too_many=len(matches) > SCHOOL_MATCHES,
    )


@login_required
@require_POST
def summit_school_remove(request, pk, school_pk):
    summit = _runner(request, pk)
    return _button(
        request,
        summit,
        lambda version: services.school_uninvite(
            summit=summit, by=request.user, school_id=school_pk, expected_version=version
        ),
        done="The school's invitation is withdrawn.",
        then=reverse("safety_summit_schools", args=[summit.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def summit_invitees(request, pk):
    summit = _runner(request, pk)
    form = InviteeForm(
        request.POST or None,
        initial={"version": summit.version},
        people=services.people_who_can_open(summit),
    )
    done = _posted(
        request,
        summit,
        form,
        lambda data: services.invitee_add(
            summit=summit,
            by=request.user,
            user=data["user"],
            name=data["name"],
            agency=data["agency"],
            organisation=data["organisation"],
            expected_version=data["version"],
        ),
        done="The practitioner is invited.",
        then=reverse("safety_summit_invitees", args=[summit.pk]),
    )
    return done or _form_page(
        request,
        summit,
        form,
        title="Invite practitioners",
        template="safety_summits/summit/invitees.html",
        invitees=list(summit.invitees.select_related("user")),
    )


@login_required
@require_POST
def summit_invitee_remove(request, pk, invitee_pk):
    summit = _runner(request, pk)
    return _button(
        request,
        summit,
        lambda version: services.invitee_remove(
            summit=summit, by=request.user, invitee_id=invitee_pk, expected_version=version
        ),
        done="The invitation is withdrawn.",
        then=reverse("safety_summit_invitees", args=[summit.pk]),
    )


# --- the date ----------------------------------------------------------------------------


def _when_initial(summit):
    return {
        **when_initial(summit),
        "place": summit.place,
        "host_school": summit.host_school_id or summit.referral.school_id,
    }


def _when(data):
    return {
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
        "place": data["place"],
        "host_school": data["host_school"],
        "expected_version": data["version"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def summit_schedule(request, pk):
    summit = _runner(request, pk)
    form = SummitWhenForm(request.POST or None, initial=_when_initial(summit))
    form.set_schools(_schools(summit))
    done = _posted(
        request,
        summit,
        form,
        lambda data: services.summit_schedule(summit=summit, by=request.user, **_when(data)),
        done="The summit is scheduled. The invited schools and practitioners have been told.",
    )
    return done or _form_page(request, summit, form, title="Schedule the summit")


@login_required
@require_http_methods(["GET", "POST"])
def summit_reschedule(request, pk):
    summit = _runner(request, pk)
    form = SummitRescheduleForm(request.POST or None, initial=_when_initial(summit))
    form.set_schools(_schools(summit))
    done = _posted(
        request,
        summit,
        form,
        lambda data: services.summit_reschedule(
            summit=summit, by=request.user, reason=data["reason"], **_when(data)
        ),
        done="The summit has moved. The invitees have been told, with the reason.",
    )
    return done or _form_page(request, summit, form, title="Reschedule the summit")


@login_required
@require_http_methods(["GET", "POST"])
def summit_cancel(request, pk):
    summit = _runner(request, pk)
    form = SummitCancelForm(request.POST or None, initial={"version": summit.version})
    done = _posted(
        request,
        summit,
        form,
        lambda data: services.summit_cancel(
            summit=summit, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        done="The summit is cancelled. The invitees have been told, with the reason.",
    )
    return done or _form_page(request, summit, form, title="Cancel the summit")


# --- the day -----------------------------------------------------------------------------

RECORD_FORMS = {
    "turnout": TurnoutForm,
    "place": PlaceForm,
    "voice": VoiceForm,
    "action": SummitActionForm,
}


def _record_call(kind, summit, request, form):
    data = dict(form.cleaned_data)
    expected = data.pop("version")
    common = {"summit": summit, "by": request.user, "expected_version": expected}
    if kind == "turnout":
        return day.turnout_save(school=data["school"], counts=form.counts(), **common)
    if kind == "place":
        return day.place_add(**data, **common)
    if kind == "voice":
        return day.voice_add(**data, **common)
    return day.action_add(**data, **common)


@login_required
@require_http_methods(["GET", "POST"])
def summit_record(request, pk):
    """The record of the day, one part at a time: young people counted per school, places
    on the safety map, what they said, and the next steps; then marked held."""
    summit = _runner(request, pk)
    kind = request.POST.get("add") if request.method == "POST" else None
    schools = _schools(summit)
    version = {"version": summit.version}
    forms = {}
    for name, form_class in RECORD_FORMS.items():
        kwargs = {"initial": version, "schools": schools, "prefix": name}
        if name == "action":
            kwargs["owners"] = action_owner_choices(summit.referral)
        forms[name] = form_class(request.POST if kind == name else None, **kwargs)
    if kind in forms:
        form = forms[kind]
        done = on_valid_post(
            request,
            form,
            lambda _data: _record_call(kind, summit, request, form),
            done="Added to the record of the summit.",
            then=reverse("safety_summit_record", args=[summit.pk]) + f"#{kind}",
        )
        if done:
            return done
    return render(
        request,
        "safety_summits/summit/record.html",
        _context(
            request,
            summit,
            forms=forms,
            posted=kind,
            **summit_content(summit, request.user),
        ),
    )


@login_required
@require_POST
def summit_remove(request, pk, kind, item_pk):
    if kind not in day.PARTS:
        raise Http404
    summit = _runner(request, pk)
    return _button(
        request,
        summit,
        lambda version: day.item_remove(
            summit=summit, by=request.user, kind=kind, item_id=item_pk, expected_version=version
        ),
        done="Removed from the record of the summit.",
        then=reverse("safety_summit_record", args=[summit.pk]),
    )


def _many(count, word, plural=None):
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _so_far(form, content):
    """The hold page's summary of the record of the day, each part where its refusal shows."""
    answers = sum(len(said) for _, said in content["voices"])
    return [
        (
            form["turnouts"],
            f"{_many(content['young_people'], 'young person', 'young people')} from "
            f"{_many(len(content['turnouts']), 'school')}.",
            "turnout-form",
            "Count the young people of a school",
        ),
        (
            form["places"],
            f"{_many(len(content['places']), 'place')} on the safety map; "
            f"{_many(answers, 'thing', 'things')} young people said.",
            "place-form",
            "Add a place, or what young people said",
        ),
        (
            form["actions"],
            f"{_many(len(content['actions']), 'next step')}: they join the case plan.",
            "action-form",
            "Add a next step",
        ),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def summit_hold(request, pk):
    summit = _runner(request, pk)
    invitees = list(summit.invitees.select_related("user"))
    form = SummitHoldForm(
        request.POST or None, initial={"version": summit.version}, invitees=invitees
    )
    done = _posted(
        request,
        summit,
        form,
        lambda data: day.summit_hold(
            summit=summit,
            by=request.user,
            attended=data["attended"],
            other_attendees=data["other_attendees"],
            notes=data["notes"],
            expected_version=data["version"],
        ),
        done="The summit is recorded as held and its next steps are on the case plan. Keep "
        "“you said, we did” up to date, and share the report with the schools.",
    )
    content = summit_content(summit, request.user)
    return done or _form_page(
        request,
        summit,
        form,
        title="Mark the summit held",
        template="safety_summits/summit/hold.html",
        so_far=_so_far(form, content),
        **content,
    )


# --- afterwards --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def summit_response(request, pk, response_pk=None):
    """Add a "you said, we did" row, or bring one up to date."""
    summit = _runner(request, pk)
    row = None
    if response_pk is not None:
        row = summit.responses.filter(pk=response_pk).first()
        if row is None:
            raise Http404
    initial = {"version": summit.version}
    if row is not None:
        initial.update(
            you_said=row.you_said,
            school=row.school_id,
            we_did=row.we_did,
            done_on=row.done_on,
            told_on=row.told_on,
            how_told=row.how_told,
        )
    form = ResponseForm(request.POST or None, initial=initial, schools=_schools(summit))
    done = _posted(
        request,
        summit,
        form,
        lambda data: follow_up.response_save(
            summit=summit,
            by=request.user,
            response_id=response_pk,
            you_said=data["you_said"],
            school=data["school"],
            we_did=data["we_did"],
            done_on=data["done_on"],
            told_on=data["told_on"],
            how_told=data["how_told"],
            expected_version=data["version"],
        ),
        done="“You said, we did” is saved.",
        then=summit.get_absolute_url() + "#you-said-we-did",
    )
    return done or _form_page(
        request,
        summit,
        form,
        title="You said, we did",
        template="safety_summits/summit/response.html",
        row=row,
    )


@login_required
@require_POST
def summit_share(request, pk):
    summit = _runner(request, pk)
    return _button(
        request,
        summit,
        lambda version: follow_up.report_share(
            summit=summit, by=request.user, expected_version=version
        ),
        done="The report has been shared with the schools and practitioners.",
        then=summit.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def summit_refer_back(request, pk):
    summit = _runner(request, pk)
    form = ReferBackForm(request.POST or None, initial={"version": summit.version})
    done = _posted(
        request,
        summit,
        form,
        lambda data: follow_up.refer_back(
            summit=summit, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        done="The case is back with its panel, recommending a School Assessment. The panel's "
        "members have been told.",
    )
    return done or _form_page(request, summit, form, title="Send the case back to the panel")
