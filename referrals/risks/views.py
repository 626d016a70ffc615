"""Risk assessment pages: parse input, call one service in referrals.risks.services, render.
Every read goes through SchoolReferral.objects.visible_to(user) (404 otherwise) and is
logged; the forms are offered only to those who may act (risk_services.may_assess)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_fsm import can_proceed

from casework.pages import on_valid_post
from notifications.models import DeadlineStatus
from notifications.selectors import clocks_of
from referrals.models import TransitionRecord
from referrals.risks import services as risk_services
from referrals.risks.forms import CloseForm, CompleteForm, ConsiderForm, ReviewForm
from referrals.risks.models import RiskAssessment, RiskState
from referrals.selectors import visible_case


def _assessment(referral, ra):
    assessment = get_object_or_404(
        RiskAssessment.objects.select_related("created_by", "completed_by"), case=referral, pk=ra
    )
    assessment.case = referral  # the services read the case (and its school) from here
    return assessment


def _may_act(request, referral):
    if not risk_services.may_assess(request.user, referral):
        raise PermissionDenied


def _offers(user, assessment, referral):
    """What this person can do to this assessment now (the pages offer only these)."""
    if not risk_services.may_assess(user, referral):
        return set()
    offers = set()
    if can_proceed(assessment.complete):
        offers.add("complete")
    if can_proceed(assessment.review):
        offers.add("review")
    if can_proceed(assessment.close) and risk_services.may_close(assessment):
        offers.add("close")
    return offers


def _running(deadline):
    return deadline.status == DeadlineStatus.RUNNING


@login_required
def risk_assessment_list(request, pk):
    referral = visible_case(request.user, pk)
    assessments = list(
        referral.risk_assessments.annotate(review_count=Count("reviews")).order_by(
            "created_at", "pk"
        )
    )
    deadlines = clocks_of(RiskAssessment, [a.pk for a in assessments])
    rows = [
        {
            "assessment": a,
            "running": [d for d in deadlines[a.pk] if _running(d["deadline"])],
        }
        for a in assessments
    ]
    return render(
        request,
        "referrals/risk/list.html",
        {
            "referral": referral,
            "rows": rows,
            "may_assess": risk_services.may_assess(request.user, referral),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_assessment_consider(request, pk):
    referral = visible_case(request.user, pk)
    _may_act(request, referral)
    form = ConsiderForm(request.POST or None)
    done = on_valid_post(
        request,
        form,
        lambda data: risk_services.risk_consider(
            case=referral, by=request.user, needed=data["needed"], reason=data["reason"]
        ),
        done=lambda assessment: (
            "Risk assessment started. Complete it below."
            if assessment.state == RiskState.REQUIRED
            else "Your decision that none is needed is recorded."
        ),
        then=lambda assessment: (
            assessment
            if assessment.state == RiskState.REQUIRED
            else reverse("risk_assessment_list", args=[referral.pk])
        ),
    )
    if done:
        return done
    return render(request, "referrals/risk/consider.html", {"referral": referral, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def risk_assessment_detail(request, pk, ra):
    referral = visible_case(request.user, pk)
    assessment = _assessment(referral, ra)
    offers = _offers(request.user, assessment, referral)
    form = None
    if request.method == "POST":
        _may_act(request, referral)
        form = CompleteForm(request.POST)
        done = on_valid_post(
            request,
            form,
            lambda data: risk_services.risk_complete(
                assessment=assessment,
                by=request.user,
                values=form.values(),
                expected_version=data["version"],
            ),
            done="Risk assessment completed. It will be kept under review.",
            then=assessment,
        )
        if done:
            return done
    elif "complete" in offers:
        form = CompleteForm(initial=CompleteForm.initial_for(assessment))
    reviews = list(assessment.reviews.select_related("reviewed_by"))
    history = TransitionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(RiskAssessment), object_id=assessment.pk
    ).select_related("by")
    return render(
        request,
        "referrals/risk/detail.html",
        {
            "referral": referral,
            "assessment": assessment,
            "reviews": reviews,
            "history": history,
            "deadlines": clocks_of(RiskAssessment, [assessment.pk])[assessment.pk],
            "offers": offers,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_assessment_review(request, pk, ra):
    referral = visible_case(request.user, pk)
    _may_act(request, referral)
    assessment = _assessment(referral, ra)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        done = on_valid_post(
            request,
            form,
            lambda data: risk_services.risk_review(
                assessment=assessment,
                by=request.user,
                risk_level=data["risk_level"],
                measures=data["measures"],
                what_changed=data["what_changed"],
                young_people_say=data["young_people_say"],
                next_review_on=data["next_review_on"],
                expected_version=data["version"],
            ),
            done="Review recorded. The next review is on its clock.",
            then=assessment,
        )
        if done:
            return done
    else:
        form = ReviewForm(initial=ReviewForm.initial_for(assessment))
    return render(
        request,
        "referrals/risk/review.html",
        {"referral": referral, "assessment": assessment, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_assessment_close(request, pk, ra):
    referral = visible_case(request.user, pk)
    _may_act(request, referral)
    assessment = _assessment(referral, ra)
    form = CloseForm(request.POST or None, initial={"version": assessment.version})
    done = on_valid_post(
        request,
        form,
        lambda data: risk_services.risk_close(
            assessment=assessment,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Risk assessment closed.",
        then=assessment,
    )
    if done:
        return done
    return render(
        request,
        "referrals/risk/close.html",
        {"referral": referral, "assessment": assessment, "form": form},
    )
