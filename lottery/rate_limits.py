"""Per-client limits on the public pages where someone types a code from a letter.

A fixed one-minute window per IP address, counted in the cache (shared by the
workers through Redis), so codes cannot be guessed at speed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

#: Attempts per IP and minute before a 429 (setting: PLENARY_REGISTRATION_CODE_RATE_LIMIT).
DEFAULT_RATE_LIMIT = 20


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_rate_limit(request: HttpRequest, scope: str) -> bool:
    """Count one attempt of ``scope`` from this client; True once over the limit."""
    limit = getattr(settings, "PLENARY_REGISTRATION_CODE_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    key = f"lottery:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=60)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        attempts = 1
    return attempts > limit
