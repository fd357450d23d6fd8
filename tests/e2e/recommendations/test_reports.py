"""The reports in the browser: a visitor finds the final report from the
assembly's page, downloads it, and the page shows its checksum, which is the
SHA-256 of the bytes downloaded; at 320 px and on a desktop (axe-core)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assemblies.actors import SYSTEM
from recommendations.report import services
from tests.e2e.helpers import axe_violations, shot
from tests.recommendations.report.helpers import reported_assembly

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("viewport", [NARROW, {"width": 1280, "height": 900}], ids=["320px", "desktop"])
def test_a_visitor_downloads_the_final_report_and_checks_it(
    page: Any, live_server: Any, tenant: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    assembly = tenant.assembly
    reported_assembly(assembly, 4)
    (document,) = services.report_render(assembly=assembly, kind="final", by=SYSTEM)  # runs inline on commit
    document.refresh_from_db()
    services.report_publish(document=document, by=SYSTEM)
    page.set_viewport_size(viewport)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/")
    page.get_by_role("link", name="Read the reports and check their SHA-256").click()
    expect(page.get_by_role("heading", name="Alpha Climate Assembly: final report")).to_be_visible()
    link = page.get_by_role("link", name="The report (PDF)")
    assert link.get_attribute("href").endswith("/reports/final-report-en-v1.pdf")
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    body = saved.read_bytes()

    digest = hashlib.sha256(body).hexdigest()
    shown = page.locator("code.sha256").first.inner_text()
    assert shown == digest and len(shown) == 64
    assert info.value.suggested_filename == "final-report-en-v1.pdf"
    assert len(PdfReader(saved).pages) == document.pages
    assert axe_violations(page) == []
    # Nothing spills sideways at 320 px: the checksum wraps inside its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"reports-public-{viewport['width']}")
    assert hosts == {urlparse(live_server.url).netloc}


def test_an_organiser_makes_the_final_report_reads_the_draft_and_publishes_it(
    page: Any, live_server: Any, tenant: Any
) -> None:
    from tests.e2e.helpers import login_with_cookie

    assembly = tenant.assembly
    reported_assembly(assembly, 3)
    login_with_cookie(page.context, live_server, tenant.organiser)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/assemblies/assembly/{assembly.pk}/dashboard/")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("button", name="Make the final report").click()  # the job runs inline here
    expect(page.get_by_text("Version 1 is being made")).to_be_visible()
    expect(page.get_by_role("heading", name="Final report · en · version 1")).to_be_visible()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="final-report-en-v1.pdf").click()
    assert info.value.suggested_filename == "final-report-en-v1.pdf"
    shot(page, "reports-organiser-draft")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 is published on the assembly's reports page.")).to_be_visible()
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/reports/")
    expect(page.get_by_role("link", name="The report (PDF)")).to_be_visible()
