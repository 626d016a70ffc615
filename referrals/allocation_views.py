"""The reallocation page: a new lead practitioner and/or team for a decided case, with a
reason (referrals.allocation.case_reallocate does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from accounts.models import Team, User
from casework.errors import CaseError, show_on_form
from referrals.allocation import case_reallocate, may_reallocate
from referrals.selectors import visible_case


class ReallocateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Team",
        empty_label="Select the team",
        error_messages={"required": "Select the team"},
    )
    lead = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Lead practitioner",
        required=False,
        empty_label="None yet: the team's managers will name one",
        help_text="A member of the team. Every running deadline of the case moves to them.",
    )
    reason = forms.CharField(
        label="Why is the case being reallocated?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the case is being reallocated"},
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        authority = referral.school.authority_id
        self.fields["team"].queryset = Team.objects.filter(
            authority_id=authority, is_front_door=False
        )
        self.fields["lead"].queryset = User.objects.filter(
            team_memberships__team__authority_id=authority,
            team_memberships__team__is_front_door=False,
            is_active=True,
        ).distinct()


@login_required
def referral_reallocate(request, pk):
    referral = visible_case(request.user, pk)
    if not may_reallocate(request.user, referral):
        raise PermissionDenied
    form = ReallocateForm(
        request.POST if request.method == "POST" else None,
        referral=referral,
        initial={
            "version": referral.version,
            "team": referral.allocated_team_id,
            "lead": referral.lead_practitioner_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_reallocate(
                referral=referral,
                by=request.user,
                team=form.cleaned_data["team"],
                lead=form.cleaned_data["lead"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except CaseError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "The case has been reallocated; its deadlines moved with it.")
            return redirect("referral_detail", pk=referral.pk)
    return render(request, "referrals/reallocate.html", {"referral": referral, "form": form})
