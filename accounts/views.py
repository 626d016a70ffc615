import logging
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import security, signin
from accounts.forms import EmailLoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from accounts.models import SecurityEvent
from accounts.roles import Roles

logger = logging.getLogger(__name__)
Kind = SecurityEvent.Kind


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each person to where their work is."""
    roles = Roles.for_user(request.user)
    if roles.is_front_door:
        return redirect("front_door_queue")
    if roles.holds_case_role:
        return redirect("referral_list")
    return render(request, "accounts/home.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in person changes their own password; this session stays signed in (Django
    updates its hash), every other session of theirs is signed out. A wrong current password
    counts as a failed sign-in, so the form cannot be used to guess it: once the account is
    locked it is refused like signing in."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def _credentials(self):
        return {"username": self.request.user.email, "during": signin.PASSWORD_CHANGE}

    def post(self, request, *args, **kwargs):
        if not AxesProxyHandler.is_allowed(request, self._credentials()):
            return signin.lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # axes counts it (and may lock the account: its middleware then shows the
            # lockout page); accounts.signin logs it.
            user_login_failed.send(
                sender=__name__, credentials=self._credentials(), request=self.request
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        me = self.request.user
        security.record(
            Kind.PASSWORD_CHANGED,
            actor=me,
            subject=me,
            request=self.request,
            detail="Changed their own password.",
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The same page follows whether or not the address has an account,
    is inactive, has asked too often or the email could not be sent. The email goes from
    Django's form straight to the email backend, not through the outbox (ADR 0014): the link
    carries a token that must not be stored."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not signin.reset_allowed(self.request, email):
            logger.warning("Password reset refused: too many requests for an email or address")
            return HttpResponseRedirect(self.get_success_url())
        for user in form.get_users(email):  # active accounts with a password only
            security.record(
                Kind.PASSWORD_RESET_REQUESTED,
                subject=user,
                request=self.request,
                detail="A reset link was asked for and emailed to the account's address.",
            )
        self.extra_email_context = {
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        # Django's form logs a failure to send and carries on (django.contrib.auth.forms).
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link: a new password, once, within PASSWORD_RESET_TIMEOUT. Having shown
    they hold the mailbox, the person's failed sign-ins are forgotten (not their address's)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        security.record(
            Kind.PASSWORD_RESET,
            subject=form.user,
            request=self.request,
            detail="Reset with the emailed link.",
        )
        axes_reset(username=signin.username_of(None, {"username": form.user.email}))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def admin_sign_in(request):
    """/admin/login/ is the service's own sign-in page (its lockout; later its second
    factor), keeping where the person was going. Someone signed in who may not use the
    configuration pages is told so (rather than sent round to sign in again)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url if safe and next_url else "admin:index")
        return render(request, "accounts/no_configuration_access.html", status=403)
    target = reverse("login")
    if safe and next_url:
        target += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
    return redirect(target)
