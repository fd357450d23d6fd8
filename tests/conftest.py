"""Shared fixtures: the personas, and the services some tests need.

Tests that need PostgreSQL, Redis, Chromium or the reference data are skipped (with the reason
printed) when those are missing, so ``make test`` passes on a bare laptop.
With PLENARY_REQUIRE_SERVICES=1 (set by .ci/run) such a skip is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

pytest_plugins = ["tests.browser"]

REQUIRE_SERVICES = os.environ.get("PLENARY_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"
# The public sortition instances (read in place, never copied into the repo).
REFERENCE_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sortition"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), 2):
            return True
    except OSError:
        return False


def service_missing(name: str) -> str | None:
    """Why a service is unavailable, or None when it is there."""
    if name == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "PostgreSQL: DATABASE_URL is not set to a postgres:// URL"
        return None
    if name == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "Redis: REDIS_URL is not set"
        if not _reachable(url, 6379):
            return f"Redis: {url} is not reachable"
        return None
    if name == "chromium":
        if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
            return "Chromium: /usr/bin/chromium is not installed (apt-get install chromium)"
        return None
    if name == "reference_data":
        if not REFERENCE_DATA.is_dir():
            return f"reference data: {REFERENCE_DATA} not found"
        return None
    raise ValueError(name)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, service in (
        ("requires_postgres", "postgres"),
        ("requires_redis", "redis"),
        ("requires_chromium", "chromium"),
        ("requires_reference_data", "reference_data"),
    ):
        if item.get_closest_marker(marker) is None:
            continue
        reason = service_missing(service)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (PLENARY_REQUIRE_SERVICES=1 forbids skipping)", pytrace=False)
        pytest.skip(f"skipped, service missing: {reason}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "requires_reference_data: needs the sortition instances in ../shared/data/sortition"
    )
    _cache_database_per_worker()


def _cache_database_per_worker() -> None:
    """Under xdist with Redis, each worker's caches use a Redis database of
    their own (8 + the worker's number): a test's cache.clear() (a FLUSHDB)
    or its API requests must not reset or fill another worker's throttle
    counts and cached pages. REDIS_URL itself (the broker, and tests that
    open it directly) keeps its database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not os.environ.get("REDIS_URL"):
        return
    database = 8 + int(worker.removeprefix("gw")) % 8
    for options in settings.CACHES.values():
        location = options.get("LOCATION")
        if isinstance(location, str) and location.startswith(("redis://", "rediss://")):
            options["LOCATION"] = urlparse(location)._replace(path=f"/{database}").geturl()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests carry the chromium requirement implicitly.
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.requires_chromium)


@pytest.fixture(autouse=True)
def eager_celery() -> Iterator[None]:
    """Run tasks inline in every test, even when REDIS_URL is set (CI).

    Settings decide eagerness once, at import, from REDIS_URL; the tests that
    need a real worker (marked requires_redis) switch it off for themselves.
    """
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(tmp_path: object, settings: object) -> None:
    """Generated files go to a throwaway folder; passwords hash fast; no public page cache."""
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined, operator]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    # Tests write rows with bulk_create/update and never commit, so a cached
    # public page would hide their changes: tests/test_public_cache.py switches it on.
    settings.PLENARY_PUBLIC_CACHE = False  # type: ignore[attr-defined]
    # The API's throttles count in the default cache, which every test shares
    # (and every xdist worker, when REDIS_URL is set): at 120 a minute, whichever
    # test happened to make the 121st anonymous API request would get a 429.
    # Tests about throttling set the rates they check (tests/test_api_security.py).
    settings.PLENARY_API_ANON_RATE = "1000000/min"  # type: ignore[attr-defined]
    settings.PLENARY_API_USER_RATE = "1000000/min"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a test that renders
    in French (a task, a service, an activated translation) cannot leak it into
    the next test's messages."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


from tests.personas import *  # noqa: E402, F403
