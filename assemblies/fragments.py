"""Fragments of public pages kept under the assembly's public version.

The public page cache (``config.public_cache``: keys, invalidation, which
models are public content) stores whole pages under a version per assembly,
bumped on commit whenever public content changes. What a public page derives
at some cost (an assembly's sections, the programme's agendas, a
recommendation's rendered Markdown and charts, the panel's composition) is
kept under the same version:

    pc:frag:<version>:<language>:<time zone>:<name>

(``fragment(assembly_id, name, compute)``), so a page the page cache cannot
serve (a signed-in visitor, a search, the first visit after a change) is still
cheap, and goes stale exactly when the cached pages do. A fragment is what the
page's one selector computed, never a second way to compute it.

Fragments are on with the page cache (PLENARY_PUBLIC_CACHE), or alone with
PLENARY_FRAGMENT_CACHE=1; the versions are bumped whenever either is on. This
module lives below the apps so that their views can use it; the versions and
the cache alias are defined here and used by ``config.public_cache``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

#: The cache alias (settings.CACHES): its own, so pages never push out the
#: API's throttle counts and can be cleared alone.
CACHE_ALIAS = "public"


def cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def assembly_version_key(assembly_id: int) -> str:
    return f"pc:v:a:{assembly_id}"


def _new_version() -> int:
    # Unique across processes and restarts (a counter could be evicted and
    # restart at a number some stored page still carries).
    return time.time_ns()


def versions(keys: list[str]) -> list[int]:
    """The current version of each key, creating a missing one (evicted or
    never bumped) with a fresh number, so a stale page can never come back."""
    store = cache()
    found = store.get_many(keys)
    out = []
    for key in keys:
        if key not in found:
            store.add(key, _new_version(), timeout=None)
            found[key] = store.get(key)
        out.append(found[key])
    return out


def fragments_enabled() -> bool:
    """PLENARY_FRAGMENT_CACHE when set, else the same as PLENARY_PUBLIC_CACHE."""
    value = getattr(settings, "PLENARY_FRAGMENT_CACHE", None)
    if value is None:
        return bool(getattr(settings, "PLENARY_PUBLIC_CACHE", True))
    return bool(value)


_MISSING = object()


def fragment(assembly_id: int, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept under the assembly's public version, the active
    language and time zone (picklable values only). Without the cache (off,
    or failing) it is simply computed."""
    if not fragments_enabled():
        return compute()
    from django.utils import timezone, translation

    try:
        (version,) = versions([assembly_version_key(assembly_id)])
        key = (
            f"pc:frag:{version}:{translation.get_language() or '-'}:"
            f"{timezone.get_current_timezone_name()}:{name}"
        )
        found = cache().get(key, _MISSING)
    except Exception:
        logger.warning("Public page cache unavailable", exc_info=True)
        return compute()
    if found is not _MISSING:
        return found
    value = compute()
    try:
        cache().set(key, value, getattr(settings, "PLENARY_PUBLIC_CACHE_SECONDS", 300))
    except Exception:
        logger.warning("Public page cache unavailable", exc_info=True)
    return value
