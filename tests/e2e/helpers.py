"""Helpers for the browser tests."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings

SHOTS = Path(os.environ.get("PLENARY_SHOTS_DIR", "/tmp/plenary-shots"))
PHONE = {"width": 375, "height": 667}


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to /tmp/plenary-shots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class CSPWatcher:
    """Collects Content Security Policy violations, page by page.

    Chromium reports each violation on the console ("Refused to ... because it
    violates the following Content Security Policy directive: ..."); an init
    script also records the ``securitypolicyviolation`` events, whose
    directive, blocked URI and source line make the report precise.
    """

    INIT_SCRIPT = """
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push({
        directive: e.effectiveDirective, blocked: e.blockedURI,
        source: e.sourceFile, line: e.lineNumber, sample: e.sample,
      });
    });
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.label = ""
        self.console: dict[str, list[str]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        page.add_init_script(self.INIT_SCRIPT)
        page.on("console", self._on_console)

    def _on_console(self, msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            self.console.setdefault(self.label or self.page.url, []).append(msg.text)

    def visit(self, label: str, url: str, status: int = 200) -> Any:
        """Open ``url`` (no redirect allowed) and record what it violates under ``label``."""
        self.label = label
        response = self.page.goto(url)  # waits for the "load" event
        assert response is not None and response.status == status, (label, response and response.status)
        assert self.page.url == url, f"{label}: {url} went to {self.page.url}"
        self.collect()
        return response

    def collect(self) -> None:
        """Record the current page's violation events (after a click, say)."""
        events = self.page.evaluate("window.__cspViolations || []")
        if events:
            self.events.setdefault(self.label or self.page.url, []).extend(events)

    def report(self) -> str:
        lines = []
        for label in sorted(set(self.console) | set(self.events)):
            lines.append(f"{label}:")
            lines += [f"  console: {text}" for text in self.console.get(label, [])]
            lines += [
                f"  event: {e['directive']} blocked={e['blocked']} "
                f"at {e['source']}:{e['line']} sample={e['sample']!r}"
                for e in self.events.get(label, [])
            ]
        return "\n".join(lines)

    @property
    def clean(self) -> bool:
        return not self.console and not self.events


def login_with_cookie(context: Any, live_server: Any, user: Any) -> None:
    """Log ``user`` in without the browser (for tests about other things)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


_CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def latest_login_code(email: str) -> str:
    """The code in the newest login-code email queued for ``email``."""
    from notifications.models import OutboxMessage

    message = OutboxMessage.objects.filter(recipient=email).order_by("-created_at", "-id").first()
    assert message is not None, f"no email was queued for {email}"
    assert "code" in message.template or "code" in message.subject.lower(), message.template
    match = _CODE_LINE.search(message.body_text)
    assert match, f"no code in the email body:\n{message.body_text}"
    return match.group(1)


def totp_code(user: Any) -> str:
    """The current TOTP code of ``user``'s authenticator, by allauth's own maths."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    # A code is valid in its own period only: near the end of one, wait for the
    # next, so that the browser does not submit it a second too late.
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def activate_totp(user: Any) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())


def no_horizontal_scroll(page: Any) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the current page, one line each
    (rule, impact, what to fix, and the first offending elements)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    response = Axe().run(page, options=options).response
    lines = []
    for violation in response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines
