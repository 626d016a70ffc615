"""Writes to people and organisations."""

from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import security, signin
from accounts.models import LocalAuthority, Nation, SecurityEvent, User

Kind = SecurityEvent.Kind


def authority_get_or_create(*, code, name, nation=Nation.ENGLAND):
    authority, created = LocalAuthority.objects.get_or_create(
        code=code, defaults={"name": name, "nation": nation}
    )
    return authority, created


def lockout_lift(person: User, *, by: User, request: HttpRequest | None = None) -> bool:
    """Forget the account's failed sign-ins (the security log keeps them), so the person may
    sign in again at once. False, and nothing logged, if it was not locked or counting."""
    if not axes_reset(username=signin.username_of(None, {"username": person.email})):
        return False
    security.record(
        Kind.ACCOUNT_CHANGED,
        actor=by,
        subject=person,
        request=request,
        detail="Sign-in lockout lifted by an administrator.",
    )
    return True


@transaction.atomic
def two_step_reset(person: User, *, by: User, request: HttpRequest | None = None) -> bool:
    """Remove the person's authenticator and recovery codes: they set up again at their next
    sign-in. Told to them and to their authority's other administrators."""
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    security.record(
        Kind.TWO_STEP_RESET,
        actor=by,
        subject=person,
        request=request,
        detail="Two-step verification was reset: set it up again at the next sign-in.",
    )
    return True
