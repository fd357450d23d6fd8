"""WCAG 2.1 AA audits with axe-core, on the pages each audience relies on.

axe-core checks what a machine can (names, labels, contrast, landmarks, ARIA,
language, headings); each page is audited as a person reaches it, error states
included, on a phone as well as a desktop width where the layout changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from lottery.models import Respondent, RespondentStatus
from tests.e2e.helpers import PHONE, axe_violations, login_with_cookie
from tests.factories import drawn_panel
from tests.lottery.registration.conftest import make_invitation, setup_recruitment

pytestmark = pytest.mark.e2e


def test_the_audit_reports_what_it_should(page: Any, live_server: Any, db: None) -> None:
    # The tests above can fail: an unlabelled field and an image without
    # text are reported with the rule, its impact and the element.
    page.goto(f"{live_server.url}/")
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input></main></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt (critical)" in found and "label (critical)" in found


def _audit(page: Any, label: str, failures: dict[str, list[str]]) -> None:
    found = axe_violations(page)
    if found:
        failures[label] = found


def _report(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"{label}:\n  " + "\n  ".join(items) for label, items in failures.items())


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_public_pages_meet_wcag_aa(
    page: Any, live_server: Any, assembly: Any, organiser: Any, viewport: Any
) -> None:
    if viewport:
        page.set_viewport_size(viewport)
    failures: dict[str, list[str]] = {}
    drawn_panel(assembly, organiser)
    for label, path in [
        ("home", "/"),
        ("assembly", f"/assemblies/{assembly.slug}/"),
        ("how the members were chosen", f"/assemblies/{assembly.slug}/selection/"),
        ("login", "/accounts/login/"),
        ("login by code", "/accounts/login/code/"),
        ("not found", "/no-such-page/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        _audit(page, label, failures)

    # The confirmation page a selected respondent opens from their letter.
    selected = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    assert selected is not None
    page.goto(f"{live_server.url}/confirm/{selected.confirm_token}/")
    _audit(page, "confirm seat", failures)
    assert not failures, _report(failures)


def test_registration_meets_wcag_aa_with_its_errors(page: Any, live_server: Any, assembly: Any) -> None:
    setup_recruitment(assembly)
    code = make_invitation(assembly).code
    failures: dict[str, list[str]] = {}
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/register/")
    _audit(page, "register: code", failures)
    page.get_by_label("Your registration code").fill("NOPE-NOPE")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("We could not find this code", exact=False).first).to_be_visible()
    _audit(page, "register: unknown code", failures)
    page.get_by_label("Your registration code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/register/details/")
    _audit(page, "register: details", failures)
    page.get_by_role("button", name="Register").click()  # nothing filled in
    expect(page.locator(".errorlist, [role=alert]").first).to_be_visible()
    _audit(page, "register: details with errors", failures)
    assert not failures, _report(failures)


def test_member_portal_meets_wcag_aa(page: Any, live_server: Any, member: Any, assembly: Any) -> None:
    login_with_cookie(page.context, live_server, member)
    failures: dict[str, list[str]] = {}
    for viewport in (None, PHONE):
        if viewport:
            page.set_viewport_size(viewport)
        for label, path in [("portal", "/portal/"), ("portal assembly", f"/portal/{assembly.slug}/")]:
            page.goto(f"{live_server.url}{path}")
            _audit(page, f"{label} ({'phone' if viewport else 'desktop'})", failures)
    assert not failures, _report(failures)


def test_organiser_screens_meet_wcag_aa(page: Any, live_server: Any, assembly: Any, organiser: Any) -> None:
    drawn_panel(assembly, organiser)
    login_with_cookie(page.context, live_server, organiser)
    failures: dict[str, list[str]] = {}
    run = assembly.selection_runs.order_by("-pk").first()
    for label, path in [
        ("admin index", "/admin/"),
        ("dashboard", f"/admin/assemblies/assembly/{assembly.pk}/dashboard/"),
        ("quotas and runs", f"/admin/lottery/selectionrun/assembly/{assembly.pk}/"),
        ("selection run", f"/admin/lottery/selectionrun/{run.pk}/run/"),
        ("respondents", "/admin/lottery/respondent/"),
        ("pool import", "/admin/lottery/respondent/import/"),
        ("invitation rounds", "/admin/lottery/invitationround/"),
        ("categories", "/admin/lottery/category/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (label, path)
        _audit(page, label, failures)
    assert not failures, _report(failures)
