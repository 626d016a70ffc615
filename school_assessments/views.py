"""School Assessment pages: parse input, call one service or selector, render. Every read
goes through SchoolAssessment.objects.visible_to (via selectors.visible_assessment, which
opens the case for the read log), so a DSL sees the assessment only once it is shared with
the school, and anyone outside the case gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casework.errors import CaseError, Incomplete
from casework.forms import WorkShowForm
from casework.lists import keep_filters
from casework.pages import on_valid_post, posted_version
from notifications.catalogue import period_words
from referrals.selectors import visible_case
from school_assessments import evidence, permissions, services
from school_assessments.choices import EDITABLE_STATES, AssessmentState, Domain
from school_assessments.forms import (
    DOMAIN_SLUGS,
    SECTIONS,
    SLUG_FOR_DOMAIN,
    DomainForm,
    MethodForm,
    SchoolResponseForm,
    SurveyResultForm,
)
from school_assessments.selectors import (
    assessment_content,
    assessment_page,
    open_assessment_for_case,
    survey_charts,
    visible_assessment,
)

A = AssessmentState


def _worker(request, pk):
    """An assessment this person may work on, in a state where it can still change."""
    assessment = visible_assessment(request.user, pk)
    if not permissions.may_work_on(request.user, assessment):
        raise PermissionDenied
    return assessment


def _back(assessment, anchor=""):
    return reverse("school_assessment_detail", args=[assessment.pk]) + anchor


# --- the list and the case's link --------------------------------------------------------


@login_required
def assessment_list(request):
    form = WorkShowForm(request.GET)
    show = form.show_value()
    page = assessment_page(request.user, request.GET.get("page"), show=show)
    return render(
        request,
        "school_assessments/list.html",
        {"page": keep_filters(page, request.GET), "form": form, "show": show},
    )


@login_required
def assessment_for_case(request, referral_pk):
    referral = visible_case(request.user, referral_pk)  # a redirect: logs nothing
    assessment = open_assessment_for_case(request.user, referral)
    if assessment is None:
        raise Http404("This case has no School Assessment you can see.")
    return redirect(assessment)


# --- the workspace -----------------------------------------------------------------------


def _problem_links(assessment, problems):
    """The refusal's problems as (message, link) for the error summary: each to the page
    where it is put right."""
    links = []
    for key, message in problems.items():
        messages_ = message if isinstance(message, list) else [message]
        if key in Domain.values:
            href = reverse("school_assessment_domain", args=[assessment.pk, SLUG_FOR_DOMAIN[key]])
        elif key == "methods":
            href = reverse("school_assessment_methods", args=[assessment.pk])
        elif key in ("findings", "recommendations"):
            href = reverse("school_assessment_section", args=[assessment.pk, "findings"])
        else:
            href = ""
        links.extend((text, href) for text in messages_)
    return links


def _workspace(request, assessment, *, error=None, problems=None, status=200):
    content = assessment_content(assessment)
    return render(
        request,
        "school_assessments/detail.html",
        {
            "assessment": assessment,
            "referral": assessment.referral,
            **permissions.offers(request.user, assessment),
            "error": error,
            "problem_links": _problem_links(assessment, problems or {}),
            "voice_tasks": [
                ("young-peoples-voice", "Young people's voice", assessment.young_people_said),
                (
                    "involvement",
                    "How young people and parents were involved",
                    assessment.involvement,
                ),
            ],
            **content,
        },
        status=status,
    )


@login_required
def assessment_detail(request, pk):
    assessment = visible_assessment(request.user, pk)
    return _workspace(request, assessment)


# The buttons that move the assessment on: the service each calls and what it says after.
ACTIONS = {
    "start": {
        "service": services.assessment_start,
        "done": "The assessment has started. Save each section as you go.",
    },
    "draft-findings": {
        "service": services.assessment_draft_findings,
        "done": "The findings are marked drafted. Talk them through with the school, then "
        "share them.",
    },
    "share": {
        "service": services.assessment_share,
        "done": "The findings have been shared with the school. Its designated safeguarding "
        "leads can now read them and add the school's response.",
    },
    "complete": {
        "service": services.assessment_complete,
        "done": "The assessment is complete. The case plan has been opened: agree it with the "
        "school within {plan_agreed}.",
    },
}


@login_required
@require_POST
def assessment_act(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    assessment = _worker(request, pk)
    try:
        spec["service"](
            assessment=assessment,
            by=request.user,
            expected_version=posted_version(request),
        )
    except Incomplete as exc:
        return _workspace(request, assessment, error=exc.message, problems=exc.problems, status=400)
    except CaseError as exc:
        return _workspace(request, assessment, error=exc.message, status=409)
    authority = assessment.referral.school.authority
    messages.success(
        request, spec["done"].format(plan_agreed=period_words(authority, "plan_agreed"))
    )
    return redirect(assessment)


# --- the sections ------------------------------------------------------------------------


def _form_page(request, assessment, form, *, template, title, save, done, extra=None, then=None):
    """GET shows the form; POST calls `save(cleaned_data)` and goes to `then` (by default
    back to the workspace), or shows the form again with the refusal."""
    finished = on_valid_post(
        request, form, save, done=done, then=then or assessment.get_absolute_url()
    )
    if finished:
        return finished
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "referral": assessment.referral,
            "form": form,
            "title": title,
            "editable": assessment.state in EDITABLE_STATES,
            **(extra or {}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_domain(request, pk, domain):
    value = DOMAIN_SLUGS.get(domain)
    if value is None:
        raise Http404
    assessment = _worker(request, pk)
    row = assessment.domains.filter(domain=value).first()
    if request.method == "POST":
        form = DomainForm(request.POST, domain=value)
    else:
        form = DomainForm(initial=DomainForm.initial_for(assessment, row), domain=value)

    def save(data):
        services.assessment_save_domain(
            assessment=assessment,
            by=request.user,
            domain=value,
            strengths=data["strengths"],
            concerns=data["concerns"],
            evidence=data["evidence"],
            judgement=data["judgement"],
            expected_version=data["version"],
        )

    label = Domain(value).label
    return _form_page(
        request,
        assessment,
        form,
        template="school_assessments/domain.html",
        title=label,
        save=save,
        done=f"{label} saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_section(request, pk, section):
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    assessment = _worker(request, pk)
    form_class = spec["form"]
    if request.method == "POST":
        form = form_class(request.POST)
    else:
        initial = {name: getattr(assessment, name) for name in spec["fields"]}
        form = form_class(initial={"version": assessment.version, **initial})

    def save(data):
        services.assessment_update(
            assessment=assessment,
            by=request.user,
            data={name: data[name] for name in spec["fields"]},
            expected_version=data["version"],
        )

    return _form_page(
        request,
        assessment,
        form,
        template="school_assessments/section.html",
        title=spec["title"],
        save=save,
        done=spec["done"],
    )


def _methods_page(request, assessment, *, error=None):
    data = request.POST if request.method == "POST" and error is None else None
    form = MethodForm(data, initial={"version": assessment.version})

    def save(data):
        evidence.assessment_add_method(
            assessment=assessment,
            by=request.user,
            kind=data["kind"],
            held_on=data["held_on"],
            participants=data["participants"],
            summary=data["summary"],
            expected_version=data["version"],
        )

    return _form_page(
        request,
        assessment,
        form,
        template="school_assessments/methods.html",
        title="Methods used",
        save=save,
        done="Method added. Add another, or go back to the assessment.",
        extra={"methods": list(assessment.methods.all()), "error": error},
        then=reverse("school_assessment_methods", args=[assessment.pk]),
    )


def _survey_page(request, assessment, *, error=None):
    data = request.POST if request.method == "POST" and error is None else None
    form = SurveyResultForm(data, initial={"version": assessment.version})

    def save(data):
        evidence.assessment_add_survey_result(
            assessment=assessment,
            by=request.user,
            place=data["place"],
            feeling=data["feeling"],
            percent=data["percent"],
            expected_version=data["version"],
        )

    results = list(assessment.survey_results.all())
    return _form_page(
        request,
        assessment,
        form,
        template="school_assessments/survey.html",
        title="Survey: where pupils feel safe or unsafe",
        save=save,
        done="Survey result added. Add another, or go back to the assessment.",
        extra={"survey_results": results, "charts": survey_charts(results), "error": error},
        then=reverse("school_assessment_survey", args=[assessment.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_methods(request, pk):
    return _methods_page(request, _worker(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_survey(request, pk):
    return _survey_page(request, _worker(request, pk))


# What can be removed from the assessment, by the word in the address.
REMOVABLE = {
    "methods": (evidence.assessment_remove_method, "method_id", "Method removed."),
    "survey": (evidence.assessment_remove_survey_result, "result_id", "Survey result removed."),
}


@login_required
@require_POST
def assessment_remove(request, pk, kind, item_pk):
    """Remove a method or a survey result (a small form beside each row)."""
    if kind not in REMOVABLE:
        raise Http404
    call, argument, done = REMOVABLE[kind]
    assessment = _worker(request, pk)
    try:
        call(
            assessment=assessment,
            by=request.user,
            expected_version=posted_version(request),
            **{argument: item_pk},
        )
    except CaseError as exc:
        # Show the page as it is now (its add form empty), with the refusal.
        page = _methods_page if kind == "methods" else _survey_page
        response = page(request, assessment, error=exc.message)
        response.status_code = 409
        return response
    messages.success(request, done)
    return redirect(f"school_assessment_{kind}", pk=assessment.pk)


# --- the school --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_school_response(request, pk):
    assessment = visible_assessment(request.user, pk)
    if not permissions.may_respond_for_school(request.user, assessment):
        raise PermissionDenied
    initial = {"version": assessment.version, "school_response": assessment.school_response}
    form = SchoolResponseForm(request.POST or None, initial=initial)

    def save(data):
        services.assessment_school_response(
            assessment=assessment,
            by=request.user,
            response=data["school_response"],
            expected_version=data["version"],
        )

    return _form_page(
        request,
        assessment,
        form,
        template="school_assessments/school_response.html",
        title="The school's response to the findings",
        save=save,
        done="Your school's response has been saved. The lead practitioner has been told.",
        extra={"may_respond": assessment.state == A.SHARED_WITH_SCHOOL},
    )
