"""A member logs in with an emailed code and reaches their assembly."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import latest_login_code, shot

pytestmark = pytest.mark.e2e


def test_member_logs_in_by_code_and_opens_their_assembly(
    page: Any, live_server: Any, member: Any, assembly: Any, other_assembly: Any
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    shot(page, "05-login")

    page.get_by_role("link", name="Email me a login code").click()
    page.locator("input[name=email]").fill(member.email)
    shot(page, "06-request-code")
    page.locator("form").filter(has=page.locator("input[name=email]")).get_by_role("button").click()

    code_input = page.locator("input[name=code]")
    expect(code_input).to_be_visible()
    shot(page, "07-code-entry")
    code = latest_login_code(member.email)
    code_input.fill(code)
    page.locator("form").filter(has=code_input).locator("button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My assemblies")
    card_link = page.get_by_role("link", name=assembly.title)
    expect(card_link).to_be_visible()
    expect(page.get_by_text(other_assembly.title)).to_have_count(0)
    shot(page, "08-portal")

    card_link.click()
    expect(page).to_have_url(f"{live_server.url}/portal/{assembly.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(assembly.title)
    expect(page.locator("section.remit")).to_contain_text(assembly.remit)
    shot(page, "09-portal-assembly")

    # Another tenant's assembly is not reachable through the portal.
    response = page.goto(f"{live_server.url}/portal/{other_assembly.slug}/")
    assert response is not None and response.status == 404
