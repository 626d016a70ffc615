"""Pages: parse input, call one service or selector, render. Every case read goes through
SchoolReferral.objects.visible_to(user), so another school's referral is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import LocalAuthority, School
from accounts.roles import Roles
from casework import pathways
from casework.errors import CaseError, Incomplete, show_on_form
from casework.lists import keep_filters, without
from casework.pages import posted_version
from notifications.catalogue import period_words
from referrals import services
from referrals.allocation import may_reallocate
from referrals.answers import answer_rows, problem_links
from referrals.choices import ConcernType, ReferralState
from referrals.chronology import chronology
from referrals.completeness import missing_answers
from referrals.forms import (
    AcceptToPanelForm,
    FrontDoorFilterForm,
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
    StartForm,
)
from referrals.permissions import available_actions, may, may_step, shows_plan
from referrals.selectors import (
    FRONT_DOOR_SHOW,
    RAGS,
    case_deadlines,
    front_door_page,
    panel_choices,
    referral_page,
    school_choices,
    team_choices,
    visible_case,
    waiting_for_the_school,
)
from referrals.services import CONTENT_FIELDS


@login_required
def referral_list(request):
    school_id = _int(request.GET.get("school"))
    chosen = School.objects.filter(pk=school_id).first() if school_id > 0 else None
    form = ReferralFilterForm(
        request.GET,
        schools=school_choices(request.user),
        chosen_school=chosen,
        panels=panel_choices(request.user),
        teams=team_choices(request.user),
    )
    filters = form.filters()
    page = referral_page(request.user, filters, request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {
            "page": keep_filters(page, request.GET),
            "form": form,
            "filters": filters,
            "selected": _selected_filters(request.GET, filters, chosen, form),
            "columns": _sort_links(request.GET, filters),
            "sorted_by": _sorted_by(filters),
        },
    )


def _without_date(query, name: str) -> str:
    """The query string without a date filter's three parts (day, month, year)."""
    others = query.copy()
    for part in ("day", "month", "year"):
        others.pop(f"{name}_{part}", None)
    return without(others, "page")


def _selected_filters(query, filters, school, form):
    """The MOJ filter's selected tags: (label, the query string that removes it)."""
    tags = []
    if filters.search:
        tags.append((f"Search: {filters.search}", without(query, "q")))
    if filters.show != "open":
        tags.append((dict(ReferralFilterForm.SHOW)[filters.show], without(query, "show")))
    for state in filters.states:
        tags.append((ReferralState(state).label, without(query, "state", state)))
    if filters.school_id and school is not None:
        tags.append((school.name, without(query, "school")))
    for concern in filters.concerns:
        tags.append((ConcernType(concern).label, without(query, "concern", concern)))
    for rag in filters.rags:
        tags.append((RAGS[rag], without(query, "rag", rag)))
    panels = {p.pk: p.name for p in form.panels}
    if filters.panel_id in panels:
        tags.append((f"Panel: {panels[filters.panel_id]}", without(query, "panel")))
    teams = {t.pk: t.name for t in form.teams}
    if filters.team_id in teams:
        tags.append((f"Team: {teams[filters.team_id]}", without(query, "team")))
    if filters.submitted_from:
        label = f"Submitted from {filters.submitted_from:%-d %b %Y}"
        tags.append((label, _without_date(query, "submitted_from")))
    if filters.submitted_to:
        label = f"Submitted to {filters.submitted_to:%-d %b %Y}"
        tags.append((label, _without_date(query, "submitted_to")))
    return tags


# The table's columns: (heading, its sort or None). The MOJ sortable table, server-side.
COLUMNS = [
    ("Reference", "reference"),
    ("School", "school"),
    ("Status", None),
    ("Deadlines", "due"),
    ("Submitted", "submitted"),
]


def _sorted_by(filters) -> str:
    """The chosen sort in words ("" for the default order)."""
    if not filters.sort:
        return ""
    heading = next(h for h, sort in COLUMNS if sort == filters.sort).lower()
    if filters.sort == "due":
        heading = "next deadline"
    return f"by {heading}, {'descending' if filters.descending else 'ascending'}"


def _sort_links(query, filters) -> list[dict]:
    """Each column header: its aria-sort and, for a sortable one, the link that sorts by it
    (ascending first, then the other way), keeping the filters and going back to page 1.
    With no sort chosen, open work is most urgent first: the deadlines column, ascending."""
    current, descending = filters.sort, filters.descending
    if not current and filters.show != "closed":
        current = "due"
    columns = []
    for heading, sort in COLUMNS:
        column = {"heading": heading, "sort": sort, "aria_sort": None, "query": ""}
        if sort:
            others = query.copy()
            others.pop("page", None)
            others["sort"] = sort
            now_ascending = sort == current and not descending
            others["order"] = "desc" if now_ascending else "asc"
            column["query"] = others.urlencode()
            column["next"] = "descending" if now_ascending else "ascending"
            column["aria_sort"] = (
                ("descending" if descending else "ascending") if sort == current else "none"
            )
        columns.append(column)
    return columns


@login_required
def front_door(request):
    roles = Roles.for_user(request.user)
    if not roles.is_front_door:
        raise PermissionDenied
    authority = LocalAuthority.objects.filter(pk__in=roles.front_door_authority_ids).first()
    form = FrontDoorFilterForm(request.GET)
    show = form.show_value()
    page = front_door_page(request.user, show, request.GET.get("page"))
    return render(
        request,
        "referrals/front_door.html",
        {
            "page": keep_filters(page, request.GET),
            "form": form,
            "show": show,
            "show_label": FRONT_DOOR_SHOW[show],
            "authority": authority,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request):
    roles = Roles.for_user(request.user)
    if not roles.is_dsl:
        raise PermissionDenied
    schools = School.objects.filter(pk__in=roles.school_ids).order_by("name")
    initial = {"school": schools[0].pk} if len(schools) == 1 else {}
    form = StartForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        referral = services.referral_start(school=form.cleaned_data["school"], by=request.user)
        return redirect("referral_edit", pk=referral.pk)
    return render(request, "referrals/start.html", {"form": form, "schools": schools})


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk):
    referral = visible_case(request.user, pk)
    if not may(request.user, "edit_draft", referral) or referral.state != "draft":
        raise PermissionDenied
    if request.method == "POST":
        form = ReferralForm(request.POST, referral=referral)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CONTENT_FIELDS}
            try:
                services.referral_update_draft(
                    referral=referral,
                    by=request.user,
                    data=data,
                    indicators=form.cleaned_data["indicators"],
                    linked_children=form.cleaned_data["linked_children"],
                    expected_version=form.cleaned_data["version"],
                )
            except CaseError as exc:
                show_on_form(form, exc)
            else:
                if "continue" in request.POST:
                    return redirect("referral_check", pk=referral.pk)
                messages.success(request, "Your draft has been saved.")
                return redirect("referral_edit", pk=referral.pk)
    else:
        form = ReferralForm(initial=ReferralForm.initial_for(referral), referral=referral)
    return render(request, "referrals/edit.html", {"referral": referral, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def referral_check(request, pk):
    referral = visible_case(request.user, pk)
    if not may(request.user, "submit", referral) or referral.state != "draft":
        raise PermissionDenied
    problems = missing_answers(referral)
    error = None
    attempted = request.method == "POST"  # errors are shown once they try to submit
    if attempted:
        try:
            services.referral_submit(
                referral=referral,
                by=request.user,
                expected_version=posted_version(request),
            )
        except Incomplete as exc:
            problems = exc.problems
        except CaseError as exc:
            error = exc.message
        else:
            within = period_words(referral.school.authority, "screening_decision")
            messages.success(
                request, f"Referral submitted. The front door will screen it within {within}."
            )
            return redirect("referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "problems": problems,
            "attempted": attempted,
            "error": error,
            "answers": answer_rows(referral, problems if attempted else None),
            "problem_links": problem_links(problems, referral),
        },
    )


@login_required
def referral_detail(request, pk):
    referral = visible_case(request.user, pk)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "actions": available_actions(request.user, referral),
            "open_request": referral.information_requests.filter(responded_at__isnull=True).first(),
            "waiting_for_the_school": waiting_for_the_school(referral),
            "requests": referral.information_requests.select_related(
                "requested_by", "responded_by"
            ),
            "answers": answer_rows(referral),
            "deadlines": case_deadlines(referral, request.user),
            "recent": chronology(referral, request.user)[-5:][::-1],
            "pathway_cards": pathways.cards(referral, request.user),
            "may_step": may_step(request.user, referral),
            "may_reallocate": may_reallocate(request.user, referral),
            "shows_plan": shows_plan(referral),
        },
    )


@login_required
def referral_history(request, pk):
    referral = visible_case(request.user, pk)
    return render(
        request,
        "referrals/history.html",
        {"referral": referral, "entries": chronology(referral, request.user)[::-1]},
    )


# Each decision page: the service it calls, the words around it, what it needs.
ACTIONS = {
    "start_screening": {
        "service": services.referral_start_screening,
        "title": "Start screening",
        "button": "Start screening",
        "needs_reason": False,
        "done": "You are screening this referral.",
    },
    "accept_to_panel": {
        "service": services.referral_accept_to_panel,
        "title": "Accept to a context panel",
        "button": "Accept to panel",
        "reason_label": "Reason for accepting",
        "reason_hint": "What the panel needs to know: why this meets the school context "
        "threshold for a panel's decision.",
        "done": "Referral accepted to the context panel.",
    },
    "request_information": {
        "service": services.referral_request_information,
        "title": "Request more information from the school",
        "button": "Send request",
        "reason_label": "Message to the school's designated safeguarding leads",
        "reason_hint": "Say exactly what you need to know. The school is emailed.",
        "reason_arg": "message",
        "done": "Request sent to the school.",
    },
    "redirect": {
        "service": services.referral_redirect,
        "title": "Redirect as an individual child referral",
        "button": "Redirect referral",
        "reason_label": "Reason for redirecting",
        "reason_hint": "Why this is about individual children rather than the school context, "
        "and what the school should do now.",
        "done": "Referral redirected as an individual child referral.",
    },
    "withdraw": {
        "service": services.referral_withdraw,
        "title": "Withdraw this referral",
        "button": "Withdraw referral",
        "reason_label": "Reason for withdrawing",
        "done": "Referral withdrawn.",
        "warning": True,
    },
    "provide_information": {
        "service": services.referral_provide_information,
        "title": "Answer the request for more information",
        "button": "Send answer",
        "reason_label": "Your answer",
        "reason_arg": "response",
        "done": "Your answer has been sent.",
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def referral_act(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    referral = visible_case(request.user, pk)
    if not may(request.user, action, referral):
        raise PermissionDenied
    needs_reason = spec.get("needs_reason", True)
    form_class = AcceptToPanelForm if action == "accept_to_panel" else ReasonForm
    kwargs = {"reason_label": spec.get("reason_label"), "reason_hint": spec.get("reason_hint", "")}
    if action == "accept_to_panel":
        kwargs["referral"] = referral
    data = request.POST if request.method == "POST" else None
    if data is not None and not needs_reason:
        data = data.copy()
        data["reason"] = spec["done"]
    form = form_class(data, initial={"version": referral.version}, **kwargs)
    if request.method == "POST" and form.is_valid():
        arguments = {
            "referral": referral,
            "by": request.user,
            "expected_version": form.cleaned_data["version"],
        }
        if needs_reason:
            arguments[spec.get("reason_arg", "reason")] = form.cleaned_data["reason"]
        if action == "accept_to_panel":
            arguments["panel"] = form.cleaned_data["panel"]
        try:
            spec["service"](**arguments)
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, spec["done"])
            return redirect("referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/act.html",
        {
            "referral": referral,
            "form": form,
            "spec": spec,
            "action": action,
            "needs_reason": needs_reason,
            "open_request": referral.information_requests.filter(responded_at__isnull=True).first(),
        },
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
