from django.conf import settings

from accounts.roles import Roles


def roles(request):
    return {"roles": Roles.for_user(request.user)}


def session_limits(request):
    """For base.html's timeout warning (accounts/idle.py)."""
    return {
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
        "warning_seconds": settings.TIMEOUT_WARNING_SECONDS,
    }
