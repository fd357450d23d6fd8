"""Safe Markdown for recommendations: markdown-it-py renders, nh3 sanitises.

A draft's *paragraphs* are its top-level Markdown blocks (a paragraph, a whole
list, a heading, a quote). Comments and amendments point at them by number
(from 1), so every page splits the text here, with ``blocks``, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# No raw HTML in the source; links and emphasis, lists, quotes, headings, tables.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_SCHEMES = {"http", "https", "mailto"}


def _clean(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  (nh3 has just sanitised it)


def render_markdown(text: str) -> SafeString:
    """The whole text as safe HTML (a heading ``#`` becomes an ``h2``: the page has its own ``h1``)."""
    html = _md.render(_normalise(text or ""))
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return _clean(html)


@dataclass(frozen=True)
class Block:
    number: int  # from 1
    source: str  # the Markdown of this block
    start: int  # first line (0-based) in the normalised source
    end: int  # one past the last line

    @property
    def html(self) -> SafeString:
        return render_markdown(self.source)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blocks(text: str) -> list[Block]:
    """The top-level blocks of ``text``, numbered from 1 (the paragraphs that
    comments and amendments point at)."""
    source = _normalise(text or "")
    lines = source.split("\n")
    found: list[Block] = []
    for token in _md.parse(source):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        body = "\n".join(lines[start:end]).strip("\n")
        if body.strip():
            found.append(Block(len(found) + 1, body, start, end))
    return found


def paragraphs(text: str) -> list[str]:
    """The source of each block, in order."""
    return [block.source for block in blocks(text)]


def replace_paragraph(text: str, number: int, new: str) -> str:
    """``text`` with block ``number`` (from 1) replaced by ``new``; the other
    blocks and the blank lines between them are kept as they were."""
    found = blocks(text)
    if not 1 <= number <= len(found):
        raise IndexError(number)
    block = found[number - 1]
    lines = _normalise(text).split("\n")
    replacement = _normalise(new).strip("\n").split("\n")
    return "\n".join(lines[: block.start] + replacement + lines[block.end :])
