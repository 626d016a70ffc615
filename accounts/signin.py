"""Sign-in protection (docs/decisions/0014): what django-axes is told and what it tells us.

axes counts failed sign-ins per account (the email address, in lower case) and per address
and refuses both for SIGNIN_LOCKOUT_MINUTES once either reaches SIGNIN_FAILURE_LIMIT; each
failure, refused ones included, starts the cool-off again. Here: how axes reads the account
and the address, the lockout page, and the security log's entries for failures and lockouts
(accounts.security.record, the log's one writer)."""

import hashlib
import logging

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from accounts import security
from accounts.addresses import client_address
from accounts.models import SecurityEvent, User

logger = logging.getLogger(__name__)
Kind = SecurityEvent.Kind
RESET_WINDOW_SECONDS = 60 * 60
# A failure's credentials say "during" this when it was the current password on Change password.
PASSWORD_CHANGE = "password_change"


def username_of(request, credentials=None) -> str | None:
    """The account a sign-in names, as axes counts it: the email address, trimmed, in lower
    case (sign-in matches it case-insensitively, so "Name@" and "name@" are one account)."""
    value = None
    if credentials:
        value = credentials.get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    value = (value or "").strip().lower()
    return value or None


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: the same for every account and address, whether
    or not the account exists, naming neither."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.SIGNIN_LOCKOUT_MINUTES},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _account(email: str | None) -> User | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=email).select_related("authority").first()


def _failures(**where) -> int:
    """Failures axes still counts (within the cool-off) for one account or one address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    counted = AccessAttempt.objects.filter(attempt_time__gte=since, **where)
    return counted.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _locks(request, email) -> tuple[int, int]:
    """This attempt's failure counts for its account and its address (axes has counted it:
    its app is installed before this one, so its receiver runs first)."""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    account = _failures(username=email) if email else 0
    return account, _failures(ip_address=address) if address else 0


@receiver(user_login_failed, dispatch_uid="accounts.signin.failed")
def log_failure(sender, credentials, request=None, **kwargs):
    """Every failed sign-in is logged: against the account when it exists; with no subject
    (and without the typed address) when it does not."""
    if request is None:
        return
    email = username_of(request, credentials)
    user = _account(email)
    limit = settings.AXES_FAILURE_LIMIT
    account, address = _locks(request, email)
    # Each failure adds one to both counts, so a count past the limit was locked before it.
    if account > limit or address > limit:
        what = "Refused: too many failed sign-ins"
    elif user is None:
        what = "No account has this email address"
    elif not user.is_active:
        what = "The account is inactive"
    elif credentials.get("during") == PASSWORD_CHANGE:
        what = "Wrong current password, on Change your password"
    else:
        what = "Wrong password"
    security.record(Kind.SIGN_IN_FAILED, subject=user, request=request, detail=what + ".")


@receiver(user_locked_out, dispatch_uid="accounts.signin.locked_out")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """A lockout is logged once, by the failure that reached the limit (axes sends the signal
    on every failure while locked). An account's lockout is told to the person and their
    authority's administrators (security.TOLD); an address's alone is logged only."""
    if request is None:
        return
    email = username_of(request) if username is None else username
    limit = settings.AXES_FAILURE_LIMIT
    account, address = _locks(request, email)
    account_locked, address_locked = account == limit, address == limit
    if not (account_locked or address_locked):
        return
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    user = _account(email) if account_locked else None
    account_name = "this account" if user is not None else "an email address with no account"
    if account_locked and address_locked:
        what = f"{account_name}, and the address it was tried from, are"
    elif account_locked:
        what = f"{account_name} is"
    else:
        what = "the address they came from is"
    detail = (
        f"After {limit} failed sign-ins, {what} locked for {minutes} minutes: signing in is "
        "refused until then."
    )
    logger.warning("Sign-in locked out: %s", detail)
    security.record(Kind.LOCKED_OUT, subject=user, request=request, detail=detail)


def reset_allowed(request, email: str) -> bool:
    """Count one password reset request against its email address and the address it came
    from; False once either has made more than PASSWORD_RESET_LIMIT within the hour. The
    counts are in the cache; if the cache cannot be reached the request is let through."""
    limit = settings.PASSWORD_RESET_LIMIT
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = [f"signin:reset:email:{digest}"]
    address = client_address(request)
    if address:
        keys.append(f"signin:reset:address:{address}")
    allowed = True
    for key in keys:
        try:
            cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
            try:
                count = cache.incr(key)
            except ValueError:  # it expired in between
                cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
                count = 1
        except Exception:
            logger.exception("The password reset throttle could not reach the cache")
            continue
        if count > limit:
            allowed = False
    return allowed
