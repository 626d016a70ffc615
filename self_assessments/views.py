"""Pages: parse input, call one service or selector, render. Every audit is read through
SelfAssessment.objects.visible_to(user) (selectors.visible, which opens a pathway audit's
case for the read log), so another school's self-assessment is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from casework.errors import CaseError, Incomplete, show_on_form
from casework.forms import VersionForm
from casework.lists import keep_filters
from casework.pages import on_valid_post
from self_assessments import charts, exports, gaps, instruments, selectors, services
from self_assessments.forms import (
    CloseAuditForm,
    CompleteActionForm,
    GapActionForm,
    PartnershipStartForm,
    ReviewForm,
    SectionAnswersForm,
)
from self_assessments.models import (
    COMPLETED_STATES,
    Answer,
    ImprovementAction,
    Item,
    SelfAssessmentState,
)
from self_assessments.permissions import (
    may_close,
    may_contribute,
    may_plan,
    may_review,
    must_review_before_closing,
)
from self_assessments.querysets import partnership_authority_ids

S = SelfAssessmentState


def _abilities(user, audit):
    in_progress = audit.state == S.IN_PROGRESS
    return {
        "can_answer": in_progress and may_contribute(user, audit),
        "can_review": audit.state == S.SUBMITTED and may_review(user, audit),
        "can_close": audit.state in (S.SUBMITTED, S.REVIEWED)
        and may_close(user, audit)
        and not must_review_before_closing(audit),
        "can_plan": audit.state in COMPLETED_STATES and may_plan(user, audit),
    }


def _sections(results):
    """Progress per section for the task list."""
    return [
        {
            "section": s.section,
            "answered": s.answered,
            "total": s.total,
            "status": "complete"
            if s.answered == s.total
            else ("started" if s.answered else "not_started"),
        }
        for s in results.sections
    ]


@login_required
@require_safe
def audit_list(request):
    schools = selectors.audit_page(request.user, pathway=True, number=request.GET.get("page"))
    partnership = selectors.audit_page(
        request.user, pathway=False, number=request.GET.get("partnership_page")
    )
    return render(
        request,
        "self_assessments/list.html",
        {
            "pathway": keep_filters(schools, request.GET),
            "partnership": keep_filters(partnership, request.GET, "partnership_page"),
            "can_start": bool(partnership_authority_ids(request.user)),
            "plans": selectors.improvement_plans(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_start(request):
    authorities = selectors.partnership_authorities(request.user)
    if not authorities:
        raise PermissionDenied
    offered = [
        i
        for authority in authorities
        for i in instruments.available(authority)
        if i.audience == "partnership"
    ]
    offered = list({i.pk: i for i in offered}.values())
    form = PartnershipStartForm(
        request.POST or None,
        authorities=authorities,
        instruments=offered,
        initial={"authority": authorities[0].pk},
    )
    done = on_valid_post(
        request,
        form,
        lambda data: services.partnership_audit_start(
            authority=data["authority"],
            instrument=data["instrument"],
            by=request.user,
            title=data["title"],
        ),
        done="Audit started. Answer the items in any order.",
        then=lambda audit: reverse("self_assessment_detail", args=[audit.pk]),
    )
    if done:
        return done
    return render(
        request,
        "self_assessments/start.html",
        {"form": form, "instruments": offered, "single_authority": len(authorities) == 1},
    )


@login_required
@require_safe
@never_cache
def audit_detail(request, pk):
    audit = selectors.visible(request.user, pk)
    results = selectors.result_of(audit)
    abilities = _abilities(request.user, audit)
    return render(
        request,
        "self_assessments/detail.html",
        {
            "audit": audit,
            "instrument": audit.instrument,
            "results": results,
            "sections": _sections(results),
            "charts": charts.charts_for(results) if results.answered else [],
            "deadline": selectors.deadline_of(audit) if audit.is_pathway else None,
            "actions_by_item": selectors.gap_actions(audit),
            **abilities,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_section(request, pk, position):
    audit = selectors.visible(request.user, pk)
    if not _abilities(request.user, audit)["can_answer"]:
        raise PermissionDenied
    instrument = audit.instrument
    sections = list(instrument.sections.order_by("position"))
    section = next((s for s in sections if s.position == position), None)
    if section is None:
        raise Http404
    items = list(Item.objects.filter(section=section).order_by("position"))
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=audit, item__in=items)}
    if request.method == "POST":
        form = SectionAnswersForm(request.POST, assessment=audit, items=items)
        if form.is_valid():
            try:
                services.answers_save(
                    assessment=audit,
                    by=request.user,
                    answers=form.answers(),
                    expected_version=form.cleaned_data["version"],
                )
            except CaseError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"Your answers to {section.title} have been saved.")
                following = [s for s in sections if s.position > position]
                if "continue" in request.POST:
                    if following:
                        return redirect(
                            "self_assessment_section", pk=audit.pk, position=following[0].position
                        )
                    return redirect("self_assessment_submit", pk=audit.pk)
                return redirect("self_assessment_detail", pk=audit.pk)
    else:
        form = SectionAnswersForm(
            initial=SectionAnswersForm.initial_for(audit, items, answers),
            assessment=audit,
            items=items,
        )
    return render(
        request,
        "self_assessments/section.html",
        {
            "audit": audit,
            "instrument": instrument,
            "section": section,
            "form": form,
            "blocks": form.blocks(),
            "answers": answers,
            "is_last": section.position == sections[-1].position,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_submit(request, pk):
    audit = selectors.visible(request.user, pk)
    if not _abilities(request.user, audit)["can_answer"]:
        raise PermissionDenied
    results = selectors.result_of(audit)
    form = VersionForm(request.POST or None, initial={"version": audit.version})
    problems = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_submit(
                assessment=audit, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except Incomplete as exc:
            problems = exc.problems
            form.add_error(None, exc.message)
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                "Self-assessment submitted."
                + (" The lead practitioner will review it with you." if audit.is_pathway else ""),
            )
            return redirect("self_assessment_detail", pk=audit.pk)
    return render(
        request,
        "self_assessments/submit.html",
        {
            "audit": audit,
            "instrument": audit.instrument,
            "results": results,
            "form": form,
            "problems": problems,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_review(request, pk):
    audit = selectors.visible(request.user, pk)
    if not _abilities(request.user, audit)["can_review"]:
        raise PermissionDenied
    results = selectors.result_of(audit)
    taken = selectors.gap_actions(audit)
    form = ReviewForm(
        request.POST or None,
        initial={"version": audit.version},
        gaps=results.gaps,
        owners=selectors.owner_choices(audit),
        taken=taken,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_review(
                assessment=audit,
                by=request.user,
                note=form.cleaned_data["note"],
                actions=form.actions(),
                expected_version=form.cleaned_data["version"],
            )
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            added = len(form.actions())
            messages.success(
                request,
                "Review recorded."
                + (
                    f" {added} action{'s' if added != 1 else ''} added to the case plan."
                    if added
                    else ""
                ),
            )
            return redirect("self_assessment_detail", pk=audit.pk)
    return render(
        request,
        "self_assessments/review.html",
        {
            "audit": audit,
            "instrument": audit.instrument,
            "results": results,
            "form": form,
            "blocks": form.gap_blocks(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_close(request, pk):
    audit = selectors.visible(request.user, pk)
    if not _abilities(request.user, audit)["can_close"]:
        raise PermissionDenied
    form = CloseAuditForm(request.POST or None, initial={"version": audit.version})
    done = on_valid_post(
        request,
        form,
        lambda data: services.self_assessment_close(
            assessment=audit,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Audit closed.",
        then=reverse("self_assessment_detail", args=[audit.pk]),
    )
    if done:
        return done
    return render(request, "self_assessments/close.html", {"audit": audit, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def gap_action(request, pk, item_pk):
    audit = selectors.visible(request.user, pk)
    if not _abilities(request.user, audit)["can_plan"]:
        raise PermissionDenied
    results = selectors.result_of(audit)
    gap = next((r for r in results.gaps if r.item.pk == item_pk), None)
    if gap is None:
        raise Http404("That item is not a gap in this audit.")
    form = GapActionForm(request.POST or None, owners=selectors.owner_choices(audit))
    where = "the case plan" if audit.is_pathway else "the partnership improvement plan"
    done = on_valid_post(
        request,
        form,
        lambda data: gaps.gap_action_add(
            assessment=audit,
            item=gap.item,
            by=request.user,
            what=data["what"],
            due_on=data["due_on"],
            owner=data["owner"],
            owner_contact=data["owner_contact"],
        ),
        done=f"Action for {gap.item.label} added to {where}.",
        then=reverse("self_assessment_detail", args=[audit.pk]),
    )
    if done:
        return done
    return render(
        request,
        "self_assessments/gap_action.html",
        {"audit": audit, "instrument": audit.instrument, "gap": gap, "form": form},
    )


@login_required
@require_safe
@never_cache
def audit_print(request, pk):
    audit = selectors.visible(request.user, pk)
    results = selectors.result_of(audit)
    return render(
        request,
        "self_assessments/print.html",
        {
            "audit": audit,
            "instrument": audit.instrument,
            "results": results,
            "charts": charts.charts_for(results) if results.answered else [],
        },
    )


def _filename(audit, extension):
    return f"{slugify(audit.title)[:80] or 'self-assessment'}-{audit.pk}.{extension}"


@login_required
@require_safe
@never_cache
def audit_export(request, pk, extension):
    if extension not in ("csv", "xlsx"):
        raise Http404
    audit = selectors.visible(request.user, pk)
    results = selectors.result_of(audit)
    if extension == "csv":
        response = HttpResponse(exports.as_csv(results), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(results), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(audit, extension)}"'
    return response


@login_required
@require_safe
def instrument_list(request):
    instruments.ensure_bundled()
    return render(
        request,
        "self_assessments/instruments.html",
        {"instruments": selectors.instruments_for(request.user).order_by("name", "-loaded_at")},
    )


@login_required
@require_safe
def instrument_detail(request, pk):
    """The instrument, blank: every item with its levels, to read or print for a meeting."""
    instrument = get_object_or_404(selectors.instruments_for(request.user), pk=pk)
    sections = instrument.sections.prefetch_related("items").order_by("position")
    return render(
        request,
        "self_assessments/instrument.html",
        {"instrument": instrument, "sections": sections},
    )


@login_required
@require_safe
def improvement_plan(request):
    plans = [
        {"plan": plan, "actions": list(selectors.plan_actions(plan))}
        for plan in selectors.improvement_plans(request.user)
    ]
    if not plans and not partnership_authority_ids(request.user):
        raise PermissionDenied
    return render(request, "self_assessments/improvement_plan.html", {"plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def improvement_action_done(request, pk):
    action = get_object_or_404(
        ImprovementAction.objects.filter(
            plan__authority_id__in=partnership_authority_ids(request.user)
        ).select_related("item", "assessment"),
        pk=pk,
    )
    form = CompleteActionForm(request.POST or None, initial={"version": action.version})
    done = on_valid_post(
        request,
        form,
        lambda data: gaps.improvement_action_complete(
            action=action,
            by=request.user,
            note=data["note"],
            expected_version=data["version"],
        ),
        done="Action marked as done.",
        then=reverse("improvement_plan"),
    )
    if done:
        return done
    return render(request, "self_assessments/action_done.html", {"action": action, "form": form})
