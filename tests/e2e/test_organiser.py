"""An organiser logs in with password and TOTP and moves their assembly on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import activate_totp, shot, totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_organiser_without_totp_is_sent_to_set_one_up(
    page: Any, live_server: Any, settings: Any, organiser: Any
) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = True
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(organiser.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    # No authenticator yet: the admin sends them to set one up. allauth 65
    # first asks for the password again ("Confirm Access"), although it was
    # typed seconds ago: a login does not count as a reauthentication.
    activate = f"{live_server.url}/accounts/2fa/totp/activate/"
    expect(page).to_have_url(
        re.compile(
            r"/accounts/(reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F|2fa/totp/activate/)$"
        )
    )
    if "/reauthenticate/" in page.url:
        shot(page, "10a-reauthenticate-after-login")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form").filter(has=page.locator("input[name=password]")).locator(
            "button[type=submit]"
        ).click()
    expect(page).to_have_url(activate)
    expect(page.locator("input[name=code]")).to_be_visible()
    shot(page, "10-admin-mfa-setup-required")
    # The admin stays closed until an authenticator is activated.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(activate)


def test_organiser_logs_in_with_totp_and_moves_the_stage(
    page: Any,
    live_server: Any,
    settings: Any,
    organiser: Any,
    assembly: Any,
    member: Any,
    other_assembly: Any,
) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = True
    activate_totp(organiser)

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(organiser.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    code_input = page.locator("input[name=code]")
    expect(code_input).to_be_visible()
    shot(page, "11-totp-entry")
    code_input.fill(totp_code(organiser))
    page.locator("form").filter(has=code_input).locator("button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    panel = page.locator("section.plenary-panel")
    expect(panel.get_by_role("heading", name="Assemblies you organise")).to_be_visible()
    expect(panel.get_by_role("cell", name=assembly.title)).to_be_visible()
    expect(page.get_by_text(other_assembly.title)).to_have_count(0)
    shot(page, "12-admin-index")

    page.get_by_role("row", name=assembly.title).get_by_role("link", name="Open dashboard").click()
    expect(page).to_have_url(f"{live_server.url}/admin/assemblies/assembly/{assembly.pk}/dashboard/")
    expect(page.locator("#stage-h")).to_contain_text("Deliberating")
    counts = page.locator("dl.plenary-counts")
    expect(counts.locator("div", has_text="Confirmed members").locator("dd")).to_have_text("1")
    expect(counts.locator("div", has_text="Organiser team").locator("dd")).to_have_text("1")
    shot(page, "13-dashboard")

    move = page.locator(".plenary-transition a.button").first
    target_label = move.inner_text().strip().removeprefix("Move to").strip(' “”"…')
    move.click()
    # The move says what it will do (who is emailed, whether there is a way back) before it happens.
    expect(page.get_by_text("What will happen:")).to_be_visible()
    page.get_by_role("button", name=f"Move to “{target_label}”").click()
    expect(page.locator(".messagelist .success")).to_contain_text("The assembly is now at the stage")
    expect(page.locator("#stage-h")).to_contain_text(target_label)
    shot(page, "14-dashboard-after-move")
    assembly.refresh_from_db()
    assert assembly.stage != "deliberating"

    # The other tenant's assembly is not in the changelist, nor reachable.
    page.goto(f"{live_server.url}/admin/assemblies/assembly/")
    expect(page.locator("#result_list")).to_contain_text(assembly.title)
    expect(page.get_by_text(other_assembly.title)).to_have_count(0)
    shot(page, "15-admin-changelist")
    response = page.goto(f"{live_server.url}/admin/assemblies/assembly/{other_assembly.pk}/dashboard/")
    assert response is not None and response.status == 404
