"""Pages of the case plan, its actions and reviews, the case's closure, a practitioner's
caseload and an owner's actions. Plans are read through their case (visible_to); an action
also by its owner, who sees and changes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casework.errors import CaseError
from casework.lists import keep_filters
from casework.pages import on_valid_post
from notifications.catalogue import period_words
from referrals.models import SchoolReferral
from referrals.permissions import is_case_worker
from referrals.plans import services
from referrals.plans.forms import (
    ActionForm,
    AgreeForm,
    AimsForm,
    CloseActionForm,
    CloseForm,
    DoneForm,
    MyActionsFilterForm,
    ProgressForm,
    RescheduleForm,
    ReviewForm,
)
from referrals.plans.models import ActionState, PlanState
from referrals.plans.selectors import (
    MY_ACTIONS_SHOW,
    action_owner_choices,
    caseload,
    my_actions,
    plan_page,
    visible_action,
    with_rag,
)
from referrals.selectors import visible_case


def _worker_case(request, pk):
    case = visible_case(request.user, pk)
    if not is_case_worker(request.user, case):
        raise PermissionDenied
    return case


def _open_plan(case):
    plan = services.open_plan(case)
    if plan is None:
        raise Http404("This case has no open plan.")
    return plan


@login_required
def case_plan(request, pk):
    case = visible_case(request.user, pk)
    page = plan_page(case)
    worker = is_case_worker(request.user, case)
    context = {
        "referral": case,
        "page": page,
        "worker": worker,
        "may_close_case": services.may_close_case(request.user, case),
    }
    if worker and page and page["plan"].state != PlanState.CLOSED:
        context["aims_form"] = AimsForm(
            initial={"aims": page["plan"].aims, "version": page["plan"].version}
        )
    return render(request, "referrals/plan/plan.html", context)


@login_required
@require_POST
def plan_start(request, pk):
    case = _worker_case(request, pk)
    try:
        services.plan_open(case=case, by=request.user, reason="Plan started by the lead")
    except CaseError as exc:
        messages.error(request, exc.message)
    return redirect("case_plan", pk=case.pk)


@login_required
@require_POST
def plan_aims(request, pk):
    case = _worker_case(request, pk)
    plan = _open_plan(case)
    form = AimsForm(request.POST)
    done = on_valid_post(
        request,
        form,
        lambda data: services.plan_update(
            plan=plan,
            by=request.user,
            aims=data["aims"],
            agreed_with=plan.agreed_with,
            expected_version=data["version"],
        ),
        done="The plan's aims are saved.",
        then=reverse("case_plan", args=[case.pk]),
    )
    if done:
        return done
    page = plan_page(case)
    return render(
        request,
        "referrals/plan/plan.html",
        {"referral": case, "page": page, "worker": True, "aims_form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_action_new(request, pk):
    case = _worker_case(request, pk)
    plan = _open_plan(case)
    owners = action_owner_choices(case)
    form = ActionForm(request.POST or None, owners=owners)
    done = on_valid_post(
        request,
        form,
        lambda data: services.action_add(plan=plan, by=request.user, **data),
        done="Action added to the plan.",
        then=reverse("case_plan", args=[case.pk]),
    )
    if done:
        return done
    return render(
        request, "referrals/plan/action_new.html", {"referral": case, "plan": plan, "form": form}
    )


def _plan_form_page(request, pk, *, form_class, template, call, done, form_kwargs=None):
    """A plan decision page: the form, the service, the message, back to the plan."""
    case = _worker_case(request, pk)
    plan = _open_plan(case)
    kwargs = form_kwargs(plan) if form_kwargs else {}
    form = form_class(request.POST or None, initial={"version": plan.version}, **kwargs)
    finished = on_valid_post(
        request,
        form,
        lambda data: call(case, plan, form),
        done=done,
        then=reverse("case_plan", args=[case.pk]),
    )
    if finished:
        return finished
    return render(
        request, template, {"referral": case, "plan": plan, "form": form, "page": plan_page(case)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_agree(request, pk):
    return _plan_form_page(
        request,
        pk,
        form_class=AgreeForm,
        template="referrals/plan/agree.html",
        call=lambda case, plan, form: services.plan_agree(
            plan=plan,
            by=request.user,
            agreed_with=form.cleaned_data["agreed_with"],
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda plan: (
            "The plan is agreed. Its first review is due in "
            f"{period_words(plan.case.school.authority, 'plan_review')}."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request, pk):
    return _plan_form_page(
        request,
        pk,
        form_class=ReviewForm,
        template="referrals/plan/review.html",
        form_kwargs=lambda plan: {"actions": list(plan.actions.all())},
        call=lambda case, plan, form: services.plan_review(
            plan=plan,
            by=request.user,
            young_people_say=form.cleaned_data["young_people_say"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            progress=form.progress(),
            expected_version=form.cleaned_data["version"],
        ),
        done="The review is recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, pk):
    case = _worker_case(request, pk)
    plan = _open_plan(case)
    open_actions = list(plan.actions.filter(state=ActionState.OPEN))
    form = CloseForm(
        request.POST or None, initial={"version": case.version}, open_actions=open_actions
    )
    done = on_valid_post(
        request,
        form,
        lambda data: services.case_close(
            case=case,
            by=request.user,
            outcomes=form.outcomes(),
            closing_reasons=form.closing_reasons(),
            expected_version=data["version"],
        ),
        done="The case is closed and its outcomes recorded.",
        then=reverse("referral_detail", args=[case.pk]),
    )
    if done:
        return done
    return render(
        request,
        "referrals/plan/close.html",
        {"referral": case, "plan": plan, "form": form, "open_actions": open_actions},
    )


# --- one action -------------------------------------------------------------------------

ACTION_FORMS = {
    "progress": ProgressForm,
    "done": DoneForm,
    "close": CloseActionForm,
    "reschedule": RescheduleForm,
}


def _run_action_form(intent, action, by, data):
    expected = data.pop("version")
    if intent == "progress":
        return services.action_progress(action=action, by=by, expected_version=expected, **data)
    if intent == "done":
        return services.action_done(action=action, by=by, expected_version=expected, **data)
    if intent == "close":
        return services.action_close(action=action, by=by, expected_version=expected, **data)
    return services.action_reschedule(action=action, by=by, expected_version=expected, **data)


@login_required
@require_http_methods(["GET", "POST"])
def plan_action(request, action_pk):
    action = visible_action(request.user, action_pk)
    case = action.plan.case
    may_update = services.may_update_action(request.user, action)
    worker = is_case_worker(request.user, case)
    forms = {}
    if action.state == ActionState.OPEN and may_update:
        initial = {"version": action.version, "due_on": action.due_on}
        allowed = ["progress", "done"] + (["reschedule", "close"] if worker else [])
        forms = {name: ACTION_FORMS[name](initial=initial, prefix=name) for name in allowed}
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent not in forms:
            raise PermissionDenied
        form = ACTION_FORMS[intent](request.POST, prefix=intent)
        forms[intent] = form
        done = on_valid_post(
            request,
            form,
            lambda data: _run_action_form(intent, action, request.user, dict(data)),
            done="The action is updated.",
            then=reverse("plan_action", args=[action.pk]),
        )
        if done:
            return done
    (row,) = with_rag([action])
    return render(
        request,
        "referrals/plan/action.html",
        {
            "action": action,
            "referral": case,
            "rag": row[1],
            "forms": forms,
            "sees_case": SchoolReferral.objects.visible_to(request.user)
            .filter(pk=case.pk)
            .exists(),
        },
    )


@login_required
def my_actions_page(request):
    form = MyActionsFilterForm(request.GET)
    show = form.show_value()
    page = my_actions(request.user, show, request.GET.get("page"))
    return render(
        request,
        "referrals/plan/my_actions.html",
        {
            "page": keep_filters(page, request.GET),
            "form": form,
            "show": show,
            "show_label": MY_ACTIONS_SHOW[show],
        },
    )


@login_required
def caseload_page(request):
    page = keep_filters(caseload(request.user, request.GET.get("page")), request.GET)
    return render(request, "referrals/plan/caseload.html", {"page": page})
