"""Browser-test plumbing shared by every folder: Debian's Chromium for
pytest-playwright, browser tests last, and the ORM flag Playwright needs.

Registered from tests/conftest.py (``pytest_plugins``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# As root and with no network beyond loopback, Chromium needs these.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last.

    Once Playwright's sync API has started (a session fixture), an asyncio
    loop stays "running" in the main thread until the session ends, and Django
    refuses ORM calls from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set. Running the browser tests last keeps both the loop and that variable
    away from every other test (tests/test_settings.py runs `check --deploy`
    in a subprocess, which rejects the variable).
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def allow_orm_beside_playwright() -> Iterator[None]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_server_settings(settings: Any, transactional_db: None) -> None:
    """Server-side settings for tests that drive ``live_server`` in a browser.

    Tasks already run inline and passwords hash fast (tests/conftest.py);
    here the broker is in memory even in CI, and every test gets a private
    cache, so that allauth's rate limits and its "TOTP code already used"
    marks never leak between tests (or runs, with Redis)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"browser-{uuid.uuid4().hex}",
        }
    }
