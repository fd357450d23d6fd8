"""Browser tests: Playwright (sync API) drives Debian's Chromium against
pytest-django's ``live_server``.

Every test here is marked ``e2e``; tests/conftest.py turns that into
``requires_chromium`` (skipped on a laptop without /usr/bin/chromium, a failure
in CI where PLENARY_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

from typing import Any

import pytest

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
def _e2e_settings(live_server_settings: None) -> None:
    """Every test here drives live_server (see tests/browser.py)."""


@pytest.fixture
def csp(page: Any) -> CSPWatcher:
    return CSPWatcher(page)
