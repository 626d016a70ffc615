"""Every page refused to a signed-in person (403) is in the security log: who, which page,
from where. A pattern of refusals is what probing looks like; the pages themselves say
nothing about what was asked for. (A case someone may not see answers 404, by design of
visible_to, and is not a refusal.)"""

from django.conf import settings

from accounts import security
from accounts.models import SecurityEvent


class LogRefusals:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 403
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            match = request.resolver_match
            page = match.view_name if match else request.path
            security.record(
                SecurityEvent.Kind.REFUSED,
                actor=request.user,
                subject=request.user,
                request=request,
                detail=f"{request.method} {page}"[:500],
            )
        return response
