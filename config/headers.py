"""Response headers for a service that shows safeguarding case records (ADR 0012).

- Cache-Control: no-store, private on every response to a signed-in person, and on every
  response that read or set the session: a case page must never be kept by a browser's
  history cache, a shared computer or a proxy. (casework.reads marks case pages too; this
  covers every other page a signed-in person sees: lists, inbox, exports.)
- Permissions-Policy on every response: no page needs a camera, microphone, location or
  payment, so a script that got in could not ask for them.

Static files are served before this middleware (WhiteNoise in production, the
staticfiles handler in development) and keep their long-lived caching.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


def permissions_policy(features: list[str]) -> str:
    """'camera=(), microphone=()': each feature allowed to no origin."""
    return ", ".join(f"{feature}=()" for feature in features)


def _personal(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return True  # the page read the session (whoever is signed in) or changed it
    # A session cookie means someone may be signed in, whether or not this page looked.
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if _personal(request) or settings.SESSION_COOKIE_NAME in response.cookies:
            # no-cache, no-store, must-revalidate, private (and "public" removed), max-age=0
            add_never_cache_headers(response)
        return response
