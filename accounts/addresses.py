"""Where a request came from, the same for the lockout, the reset limit and the security log."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address a request came from: the one the outermost trusted proxy saw (the
    SIGNIN_PROXY_COUNT-th from the right of X-Forwarded-For), else REMOTE_ADDR. Anything in
    the header that is not an address (the header is the client's to write, left of what the
    proxies appended) counts as no header."""
    hops = settings.SIGNIN_PROXY_COUNT
    if hops > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            try:
                return str(ipaddress.ip_address(addresses[-hops]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
