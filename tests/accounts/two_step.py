"""Signing in as the service requires it: the password and the second step (accounts/mfa.py)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import APP, RECOVERY


def authenticator_of(user) -> TOTPDevice:
    """The person's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP, confirmed=True)


def recovery_code_of(user) -> str:
    """A new single-use recovery code for a person with an authenticator (a code from the
    app works once per 30 seconds; a journey signs the same person in again sooner)."""
    authenticator_of(user)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    token = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=token)
    return token


def mark_verified(client, user) -> None:
    """The test client's session as after both steps."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session.save()
