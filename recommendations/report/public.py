"""What the public may read of the reports: published versions only (a
draft or a withdrawn version is a 404 like a page that does not exist), of
assemblies whose recommendations are published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from reports.models import Document, DocumentFile, DocumentKind, DocumentStatus

from ..public.selectors import is_published, published_assemblies


def published_documents(
    assembly: Assembly, language: str | None = None, *, files: bool = True
) -> list[Document]:
    """Published versions in reading order (``reading_order``), with their
    files (``files``; else only what names a version: kind, version, pages)."""
    if not is_published(assembly):
        return []
    documents = Document.objects.filter(assembly=assembly, status=DocumentStatus.PUBLISHED).order_by()
    if files:
        in_order = DocumentFile.objects.order_by("id")
        documents = documents.prefetch_related(Prefetch("files", queryset=in_order))
    else:
        documents = documents.only("kind", "version", "pages", "as_of", "language")
    return sorted(documents, key=reading_order((language or get_language() or "").split("-")[0]))


def reading_order(language: str) -> Callable[[Document], tuple[Any, ...]]:
    """The final report first, then progress reports; the latest first (an
    undated one after the dated); in the reader's language first, then by
    language; the newest version first. Sorted here, not by the database, so
    that every page lists them in one order whatever the database does with
    a missing date."""

    def key(document: Document) -> tuple[Any, ...]:
        as_of = document.as_of
        return (
            document.kind != DocumentKind.FINAL,
            as_of is None,
            -as_of.toordinal() if as_of is not None else 0,
            document.language != language,
            document.language,
            -document.version,
        )

    return key


#: Languages' names as a word inside a sentence or a list, where some languages
#: write them in lower case ("anglais"); listed so that makemessages finds them.
IN_TEXT = (
    pgettext_lazy("language name in running text", "English"),
    pgettext_lazy("language name in running text", "French"),
)


def language_in_text(code: str) -> str:
    """A report's language named in the visitor's language ("anglais" on a
    French page), from Django's language names; a name without an in-text
    entry is Django's translated name."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    name = pgettext("language name in running text", info["name"])
    if name == info["name"] and not (get_language() or "en").startswith("en"):
        return str(info["name_translated"])
    return name


def published_file(assembly: Assembly, name: str, fmt: str) -> DocumentFile | None:
    return (
        DocumentFile.objects.filter(
            document__assembly=assembly,
            document__status=DocumentStatus.PUBLISHED,
            document__name=name,
            format=fmt,
        )
        .select_related("document")
        .first()
    )


def file_url(assembly_slug: str, document: Document, fmt: str) -> str:
    return reverse(f"recommendations:report_{fmt}", args=[assembly_slug, document.name])


def public_section(assembly: Assembly) -> Any:
    """The "Reports" section on the assembly's public page, once one is published."""
    from assemblies.registry import Figure, Section

    # The section names no file: kinds and versions alone, in the reports
    # page's order (the final report it lists first is the one named here).
    documents = published_documents(assembly, files=False)
    if not documents:
        return None
    final = next(((d.version, d.pages) for d in documents if d.kind == DocumentKind.FINAL), None)
    figures = []
    if final is not None:
        figures.append(
            Figure(
                _("Final report"), _("version %(v)s, %(pages)s pages") % {"v": final[0], "pages": final[1]}
            )
        )
    links = [
        (
            _("Read the reports and check their SHA-256"),
            reverse("recommendations:reports", args=[assembly.slug]),
        )
    ]
    return Section(key="reports", title=_("Reports"), figures=figures, links=links)


def assembly_for_api(slug: str) -> Assembly | None:
    return published_assemblies().filter(slug=slug).first() if slug else None
