"""Two-step verification for every account (docs/decisions/0016), with django-otp: after
the password, a code from an authenticator app (TOTP) or one of ten single-use recovery
codes. Until the second step is done, a signed-in person reaches only these pages and
signing out: no case content, no configuration.

The session remembers the verified device (django_otp.login); the middleware reads only
the session, so a page costs no extra query."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import security
from accounts.models import SecurityEvent, User

RECOVERY_CODES = 10
# django-otp makes each wrong code double the wait before the next try (1 s, 2 s, 4 s, ...).
WAIT = "Too many wrong codes: wait a few seconds, then enter the code your app shows then"
APP = "Authenticator app"
RECOVERY = "Recovery codes"
# What a signed-in person who has not done the second step may still reach.
OPEN_BEFORE_SECOND_STEP = {"mfa_setup", "mfa_verify", "logout", "login", "healthz"}


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class RequireSecondStep:
    """Send a signed-in person who has not done the second step to set it up or do it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: the session is not even read.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and (
            request.user.is_authenticated
        )
        if signed_in and not is_verified(request):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in OPEN_BEFORE_SECOND_STEP:
                step = "mfa_verify" if has_app(request.user) else "mfa_setup"
                return _to(step, request.get_full_path())
        return self.get_response(request)


def _to(step: str, after: str) -> HttpResponse:
    return redirect(f"{reverse(step)}?{urlencode({'next': after})}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=20,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "class": "govuk-input--width-10"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class VerifyForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "code"
        ].help_text = (
            "The 6-digit code your authenticator app shows now, or one of your recovery codes"
        )


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse(settings.LOGIN_REDIRECT_URL)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes, replacing any the person had; shown once, stored as given
    (django-otp compares them as typed)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _grouped(secret: bytes) -> str:

    text = b32encode(secret).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), enter a code."""
    user = request.user
    if is_verified(request):
        return redirect(_next(request))
    if has_app(user):
        return _to("mfa_verify", _next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", WAIT)
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(user)
                security.record(
                    SecurityEvent.Kind.ACCOUNT_CHANGED,
                    actor=user,
                    subject=user,
                    request=request,
                    detail="Two-step verification set up.",
                )
            otp_login(request, device)
            return render(
                request, "accounts/mfa_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", "The code is not right: enter the 6-digit code your app shows now")

    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr": qr.svg_inline(scale=4, title="QR code to add this account to your app"),
        "key": _grouped(device.bin_key),
        "next": _next(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app, or a recovery code."""
    user = request.user
    if is_verified(request):
        return redirect(_next(request))
    if not has_app(user):
        return _to("mfa_setup", _next(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        waiting = not app.verify_is_allowed()[0]  # before this try counts against it
        device = match_token(user, form.cleaned_data["code"])
        if device is None and waiting:
            form.add_error("code", WAIT)
        elif device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                security.record(
                    SecurityEvent.Kind.ACCOUNT_CHANGED,
                    actor=user,
                    subject=user,
                    request=request,
                    detail=f"Signed in with a recovery code ({left} left).",
                )
            return redirect(_next(request))
        else:
            security.record(
                SecurityEvent.Kind.SIGN_IN_FAILED,
                subject=user,
                request=request,
                detail="A wrong two-step verification code.",
            )
            form.add_error(
                "code",
                "The code is not right: enter the 6-digit code your app shows now, or one of "
                "your recovery codes",
            )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next(request)})
