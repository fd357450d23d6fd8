"""Every public and portal page's breadcrumb starts at the top: "Assemblies"
(public) or "My assemblies" (portal). Several started at the assembly or at a
facilitator's list ("Check-in", "Your tables", "My portal"), so a member on a
phone had no way up to their other assemblies."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAV = re.compile(r'<nav class="breadcrumbs"[^>]*>\s*<a href="([^"]*)">([^<]*)</a>')
ROOTS = {
    ("{% url 'assemblies:home' %}", '{% translate "Assemblies" %}'),
    ("{% url 'portal:home' %}", '{% translate "My assemblies" %}'),
    ("{% url 'notifications:mailbox' %}", '{% translate "Demo mailbox" %}'),
}


def test_public_and_portal_breadcrumbs_start_at_the_top() -> None:
    wrong = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if "/admin/" in f"/{relative}" or path.name.startswith("admin_"):
            continue  # the organisers' admin has its own breadcrumbs
        for match in NAV.finditer(path.read_text(encoding="utf-8")):
            if (match[1], match[2]) not in ROOTS:
                wrong.append(f"{relative}: {match[2]}")
    assert wrong == []
