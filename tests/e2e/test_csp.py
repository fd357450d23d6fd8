"""No page breaks the Content Security Policy (``style-src 'self'``,
``script-src 'self'``): every violation is an inline style or script that the
browser refused, i.e. something that silently does not work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import CSPWatcher, activate_totp, login_with_cookie

pytestmark = pytest.mark.e2e


def test_public_login_and_portal_pages_respect_the_csp(
    page: Any, csp: CSPWatcher, live_server: Any, member: Any, assembly: Any
) -> None:
    base = live_server.url
    response = csp.visit("public home", f"{base}/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    csp.visit("public assembly", f"{base}/assemblies/{assembly.slug}/")
    csp.visit("404 page", f"{base}/no-such-page/", status=404)
    csp.visit("login", f"{base}/accounts/login/")
    csp.visit("request login code", f"{base}/accounts/login/code/")
    login_with_cookie(page.context, live_server, member)
    csp.visit("portal", f"{base}/portal/")
    csp.visit("portal assembly", f"{base}/portal/{assembly.slug}/")
    assert csp.clean, "CSP violations:\n" + csp.report()


def test_admin_pages_respect_the_csp(
    page: Any, csp: CSPWatcher, live_server: Any, organiser: Any, assembly: Any
) -> None:
    activate_totp(organiser)  # whatever PLENARY_REQUIRE_ORGANISER_MFA says
    login_with_cookie(page.context, live_server, organiser)
    base = f"{live_server.url}/admin"
    csp.visit("admin index", f"{base}/")
    csp.visit("assembly dashboard", f"{base}/assemblies/assembly/{assembly.pk}/dashboard/")
    csp.visit("assembly changelist", f"{base}/assemblies/assembly/")
    csp.visit("assembly change form", f"{base}/assemblies/assembly/{assembly.pk}/change/")
    csp.visit("assembly add form", f"{base}/assemblies/assembly/add/")
    csp.visit("member changelist", f"{base}/assemblies/member/")
    assert csp.clean, "CSP violations:\n" + csp.report()


def test_the_csp_watcher_sees_a_violation(page: Any, csp: CSPWatcher, live_server: Any, db: None) -> None:
    """The watcher is not blind: an inline style attribute is reported."""
    csp.visit("public home", f"{live_server.url}/")
    csp.label = "injected inline style"
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    csp.collect()
    assert not csp.clean
    assert "style-src" in csp.report()
