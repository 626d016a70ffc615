"""Session limits: signed out after SESSION_IDLE_MINUTES (30) without a request, and after
SESSION_COOKIE_AGE (8 hours) from signing in however busy (docs/decisions/0016). Pages warn
two minutes before the idle limit (static/js/timeout-warning.js: the GOV.UK timeout
warning), and "Stay signed in" posts to `keep_alive`.

The time of the last request is written to the session at most once a minute, so a page
does not cost a session write every time."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
GRAIN = 60  # seconds: how stale the last request's time may be before it is written


@receiver(user_logged_in)
def _started(sender, request, user, **kwargs):
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def _timed_out(session, now: float) -> str:
    """ "day" past the 8 hours, "idle" past the idle limit, "" otherwise."""
    seen, started = session.get(LAST_SEEN), session.get(SIGNED_IN_AT)
    if started is not None and now - started > settings.SESSION_COOKIE_AGE:
        return "day"
    if seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
        return "idle"
    return ""


class SessionLimits:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            session, now = request.session, time.time()
            if why := _timed_out(session, now):
                logout(request)
                query = {"timed_out": why}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return redirect(f"{reverse('login')}?{urlencode(query)}")
            session.setdefault(SIGNED_IN_AT, now)
            if now - session.get(LAST_SEEN, 0) >= GRAIN:
                session[LAST_SEEN] = now
        return self.get_response(request)


@login_required
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": the idle clock starts again (the 8-hour limit stands)."""
    request.session[LAST_SEEN] = time.time()
    return HttpResponse(status=204)
