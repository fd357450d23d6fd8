"""Browser tests: Playwright (sync API) drives Debian's Chromium against
pytest-django's ``live_server``.

Every test here is marked ``e2e``; tests/conftest.py turns that into
``requires_chromium`` (skipped on a laptop without /usr/bin/chromium, a failure
in CI where PLENARY_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from config.celery import app as celery_app
from tests.e2e.helpers import CSPWatcher

DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright(allow_orm_beside_playwright: None) -> None:
    """Every test here drives the browser (see tests/browser.py)."""


# --- Browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # English first, so that the language test starts from a known place.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return page


# --- Server-side settings ---------------------------------------------------


@pytest.fixture(autouse=True)
def _e2e_settings(settings: Any, transactional_db: None) -> Iterator[None]:
    """Emails are written to the outbox and sent inline, even in CI where
    REDIS_URL is set (settings decide eagerness once, at import)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"
    # Factory users get their password hashed once per user; the default
    # PBKDF2 work factor would cost seconds per test for nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A private cache per test: allauth's rate limits and its "TOTP code
    # already used" marks must not leak between tests (or runs, with Redis).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"e2e-{uuid.uuid4().hex}",
        }
    }
    # The Celery app read its configuration once, at import: switch it too.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def csp(page: Any) -> CSPWatcher:
    return CSPWatcher(page)
