"""Reflow at 320 CSS pixels (WCAG 2.1, 1.4.10): no screen scrolls sideways.

The demo is loaded, then each persona (the public, a member, an organiser,
the superuser) walks the site from its entry pages, following every link it
is shown. Each screen (a URL pattern) is checked on its first pages: the page
must not be wider than the window, and no element may stick out of it unless
it sits inside a container that scrolls on purpose (``overflow-x: auto``, as
wide tables do). One browser, one context per persona.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.e2e.helpers import login_with_cookie, shot

pytestmark = pytest.mark.e2e

REFLOW = {"width": 320, "height": 640}
PAGES_PER_SCREEN = 2  # e.g. two assemblies' dashboards: one drawn, one recruiting
MAX_PAGES = 400  # a safety net against a crawl that never ends

# Links that are not screens: files, the API, sign-out, redirects to the public site.
SKIP = re.compile(
    r"(\.pdf|\.csv|\.json|\.xlsx|\.zip|\.ics|\.svg)(\?|$)|^/api/|^/static/|^/media/|/logout/|^/i18n/|/jsi18n/"
    r"|^/admin/r/|/delete/$|[?&]_popup=|/export|/download|/bundle|/letters?/\d+/file|/file/$|/my-data/"
    r"|/receipt|/feed/$|/badges|/cards|\.pdf/"
)

# Every element whose right edge passes the window, unless an ancestor
# scrolls sideways on purpose. Elements clipped by an ancestor (hidden
# overflow) or positioned off-screen on purpose (the skip link) are not seen.
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const scrollables = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p !== document.body
          && p !== document.documentElement) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= width + 1 || r.left < 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.position === 'fixed') continue;
    if (scrollables(el)) continue;
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (classes ? '.' + classes : '');
    const text = (el.innerText || el.value || '').trim().slice(0, 40);
    out.push(`${name} (right edge ${Math.round(r.right)} px): ${text}`);
    if (out.length >= 3) break;
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, elements: out};
}
"""


def _screen(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def _crawl(page: Any, base: str, starts: Iterable[str], persona: str) -> tuple[list[str], int]:
    """Visit what ``persona`` can reach from ``starts``; return the problems and the page count."""
    queue = list(starts)
    seen_urls: set[str] = set()
    per_screen: dict[str, int] = {}
    problems: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        if path in seen_urls:
            continue
        seen_urls.add(path)
        screen = _screen(urlsplit(path).path)
        if screen is None or per_screen.get(screen, 0) >= PAGES_PER_SCREEN:
            continue
        response = page.goto(base + path)
        visited += 1
        if response is None or response.status >= 400 or not page.url.startswith(base):
            continue
        landed = page.url[len(base) :]
        screen = _screen(urlsplit(landed).path) or screen  # after a redirect
        if per_screen.get(screen, 0) >= PAGES_PER_SCREEN:
            continue
        per_screen[screen] = per_screen.get(screen, 0) + 1
        result = page.evaluate(OVERFLOW_JS)
        if result["scroll"] > result["inner"] or result["elements"]:
            name = re.sub(r"[^a-z0-9]+", "-", f"{persona}-{landed}".lower()).strip("-")[:80]
            shot(page, f"reflow-{name}")
            problems.append(f"{persona} {landed}: page {result['scroll']} px; {result['elements']}")
        # Links marked as downloads (files, feeds, "download my data") are not screens.
        for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
            if not href.startswith(base):
                continue
            link = href[len(base) :].split("#")[0]
            if link and link not in seen_urls and not SKIP.search(link):
                queue.append(link)
    return problems, visited


@pytest.fixture
def demo(transactional_db: None, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = False
    settings.DEBUG = True  # the demo mailbox is a screen of the laptop demo
    settings.PLENARY_DEMO_MAILBOX = True
    settings.ROOT_URLCONF = "tests.notifications.urls"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def _starts_public() -> list[str]:
    from lottery.models import Invitation, Respondent, RespondentStatus

    starts = ["/", "/accounts/login/", "/accounts/login/code/", "/accounts/password/reset/", "/dev/mailbox/"]
    code = Invitation.objects.filter(used_at__isnull=True).values_list("code", flat=True).first()
    starts.append(f"/register/?code={code}")
    token = (
        Respondent.objects.filter(status=RespondentStatus.SELECTED, confirm_token__isnull=False)
        .exclude(confirm_token="")
        .values_list("confirm_token", flat=True)
        .first()
    )
    if token:
        starts.append(f"/confirm/{token}/")
    return starts


def test_every_screen_reflows_at_320_px(browser: Any, live_server: Any, demo: None) -> None:
    from django.contrib.auth import get_user_model

    from assemblies.demo import ADMIN_EMAIL, MEMBER_EMAIL, ORGANISER_EMAIL

    users = get_user_model().objects
    personas: list[tuple[str, Any, list[str]]] = [
        ("public", None, _starts_public()),
        ("member", users.get(email=MEMBER_EMAIL), ["/portal/", "/accounts/email/", "/accounts/2fa/"]),
        ("organiser", users.get(email=ORGANISER_EMAIL), ["/admin/", "/accounts/2fa/"]),
        ("superuser", users.get(email=ADMIN_EMAIL), ["/admin/"]),
    ]
    problems: list[str] = []
    counts = {}
    for persona, user, starts in personas:
        context = browser.new_context(viewport=REFLOW, locale="en-GB")
        if user is not None:
            login_with_cookie(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(15_000)
        found, counts[persona] = _crawl(page, live_server.url, starts, persona)
        problems += found
        context.close()
    assert counts["organiser"] > 20, counts  # the walk really reached the organiser's screens
    assert not problems, "screens wider than 320 px:\n" + "\n".join(problems)
