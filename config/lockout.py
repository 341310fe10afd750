"""Sign-in lockout (django-axes): whose address an attempt counts against, and the page a person sees
when sign-in is paused after too many wrong passwords."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    context = {
        "title": "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def client_ip(request) -> str:
    """The client's address. Directly exposed, the connection's own. Behind LOGIN_PROXY_COUNT proxies, the
    entry that many places from the right of X-Forwarded-For: the one the nearest trusted proxy appended.
    Never the left-most entry, which the client writes itself; with fewer entries than proxies, the
    connection's address (a request that did not come through every proxy)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.LOGIN_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return remote
