"""Word-level differences between two texts (difflib on word tokens).

``word_diff(old, new)`` gives the HTML (``<del>``/``<ins>``, each with a
visually hidden "removed:"/"added:" for screen readers, which do not announce
the tags) and a plain-text alternative (``[-removed-] {+added+}``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\s+|[^\s]+")


def tokens(text: str) -> list[str]:
    """Words and the whitespace between them (so that joining gives the text back)."""
    return _TOKEN.findall((text or "").replace("\r\n", "\n"))


@dataclass(frozen=True)
class WordDiff:
    html: SafeString
    text: str
    added: int  # words
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _words(parts: list[str]) -> int:
    return sum(1 for part in parts if not part.isspace())


def word_diff(old: str, new: str) -> WordDiff:
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    html: list[str] = []
    text: list[str] = []
    added = removed = 0
    removed_label, added_label = escape(_("removed:")), escape(_("added:"))
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            chunk = "".join(a[i1:i2])
            html.append(escape(chunk))
            text.append(chunk)
            continue
        if op in ("delete", "replace"):
            chunk = "".join(a[i1:i2])
            removed += _words(a[i1:i2])
            html.append(f'<del><span class="visually-hidden">{removed_label} </span>{escape(chunk)}</del>')
            text.append(f"[-{chunk}-]")
        if op in ("insert", "replace"):
            chunk = "".join(b[j1:j2])
            added += _words(b[j1:j2])
            html.append(f'<ins><span class="visually-hidden">{added_label} </span>{escape(chunk)}</ins>')
            text.append(f"{{+{chunk}+}}")
    return WordDiff(mark_safe("".join(html)), "".join(text), added, removed)  # noqa: S308  (escaped above)
