"""Word-level differences between two texts (difflib on word and punctuation tokens).

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

# Whitespace, words (letters, digits, and apostrophes or hyphens inside a word) and each
# punctuation mark on its own: adding a comma after "safety" shows only the comma as added.
_TOKEN = re.compile(r"\s+|\w+(?:['’\-]\w+)*|[^\w\s]")


def tokens(text: str) -> list[str]:
    """Words, punctuation marks and the whitespace between them (joining gives the text back)."""
    return _TOKEN.findall((text or "").replace("\r\n", "\n"))


@dataclass(frozen=True)
class WordDiff:
    html: SafeString
    text: str
    added: int  # words
    removed: int
    marks: int = 0  # punctuation marks added or removed (not words, but a change all the same)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.marks)


def _words(parts: list[str]) -> int:
    """Words only: whitespace and punctuation marks are not counted as words."""
    return sum(1 for part in parts if _WORD.match(part))


def _marks(parts: list[str]) -> int:
    return sum(1 for part in parts if not part.isspace() and not _WORD.match(part))


_WORD = re.compile(r"\w")


def word_diff(old: str, new: str) -> WordDiff:
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    html: list[str] = []
    text: list[str] = []
    added = removed = marks = 0
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
            marks += _marks(a[i1:i2])
            html.append(f'<del><span class="visually-hidden">{removed_label} </span>{escape(chunk)}</del>')
            text.append(f"[-{chunk}-]")
        if op in ("insert", "replace"):
            chunk = "".join(b[j1:j2])
            added += _words(b[j1:j2])
            marks += _marks(b[j1:j2])
            html.append(f'<ins><span class="visually-hidden">{added_label} </span>{escape(chunk)}</ins>')
            text.append(f"{{+{chunk}+}}")
    return WordDiff(mark_safe("".join(html)), "".join(text), added, removed, marks)  # noqa: S308  (escaped above)
