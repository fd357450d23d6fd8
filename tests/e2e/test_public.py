"""A visitor reads the public site."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import shot

pytestmark = pytest.mark.e2e


def test_visitor_reads_the_published_assembly(page: Any, live_server: Any, assembly: Any) -> None:
    response = page.goto(f"{live_server.url}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Citizens' assemblies")
    link = page.get_by_role("link", name=assembly.title)
    expect(link).to_be_visible()
    shot(page, "01-public-home")

    link.click()
    expect(page).to_have_url(f"{live_server.url}/assemblies/{assembly.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(assembly.title)
    remit = page.locator("section.remit")
    expect(remit.get_by_role("heading")).to_have_text("The question")
    expect(remit).to_contain_text(assembly.remit)
    expect(page.locator('[aria-current="step"]')).to_contain_text("Deliberating")
    shot(page, "02-public-assembly")


def test_draft_and_hidden_assemblies_are_not_listed(page: Any, live_server: Any, assembly: Any) -> None:
    from tests.factories import AssemblyFactory

    draft = AssemblyFactory(organisation=assembly.organisation, title="Secret Draft Assembly", stage="draft")
    hidden = AssemblyFactory(organisation=assembly.organisation, title="Hidden Assembly", is_public=False)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name=assembly.title)).to_be_visible()
    expect(page.get_by_text(draft.title)).to_have_count(0)
    expect(page.get_by_text(hidden.title)).to_have_count(0)
    response = page.goto(f"{live_server.url}/assemblies/{draft.slug}/")
    assert response is not None and response.status == 404


def test_unknown_address_shows_the_friendly_404(page: Any, live_server: Any, db: None) -> None:
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    shot(page, "03-not-found")
    page.get_by_role("link", name="Go to the list of assemblies").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_language_switcher_switches_to_french(page: Any, live_server: Any, assembly: Any) -> None:
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    # The French catalogue may not be compiled yet: assert on the document's
    # language and the switcher's state, not on French words.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(rf"/assemblies/{assembly.slug}/$"))
    expect(page.locator("#language-select")).to_have_value("fr")
    shot(page, "04-public-assembly-fr")
