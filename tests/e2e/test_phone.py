"""Phone-sized screens (375x667): nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, login_with_cookie, shot

pytestmark = pytest.mark.e2e


def _fits(page: Any, name: str) -> tuple[str, int] | None:
    shot(page, name)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return None if scroll_width <= PHONE["width"] + 1 else (name, scroll_width)


def test_public_pages_and_portal_fit_a_phone(page: Any, live_server: Any, member: Any, assembly: Any) -> None:
    page.set_viewport_size(PHONE)
    base = live_server.url
    too_wide = []
    page.goto(f"{base}/")
    expect(page.get_by_role("link", name=assembly.title)).to_be_visible()
    too_wide.append(_fits(page, "20-phone-public-home"))
    page.goto(f"{base}/assemblies/{assembly.slug}/")
    too_wide.append(_fits(page, "21-phone-public-assembly"))
    page.goto(f"{base}/accounts/login/")
    too_wide.append(_fits(page, "22-phone-login"))

    login_with_cookie(page.context, live_server, member)
    page.goto(f"{base}/portal/")
    expect(page.get_by_role("link", name=assembly.title)).to_be_visible()
    too_wide.append(_fits(page, "23-phone-portal"))
    page.goto(f"{base}/portal/{assembly.slug}/")
    too_wide.append(_fits(page, "24-phone-portal-assembly"))

    problems = [p for p in too_wide if p]
    assert not problems, f"pages wider than {PHONE['width']}px (name, scrollWidth): {problems}"
