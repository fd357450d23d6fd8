"""What the public may read of the reports: published versions only (a
draft or a withdrawn version is a 404 like a page that does not exist), of
assemblies whose recommendations are published."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from reports.models import Document, DocumentFile, DocumentKind, DocumentStatus

from ..public.selectors import PUBLISHED_STAGES, published_assemblies


def published_documents(assembly: Assembly, language: str | None = None) -> QuerySet[Document]:
    """Published versions: the final report first (in the reader's language
    first), then progress reports; the newest version first."""
    if not (assembly.is_public and assembly.stage in PUBLISHED_STAGES):
        return Document.objects.none()
    language = (language or get_language() or "").split("-")[0]
    return (
        Document.objects.filter(assembly=assembly, status=DocumentStatus.PUBLISHED)
        .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.order_by("id")))
        .annotate(
            kind_order=Case(
                When(kind=DocumentKind.FINAL, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            language_order=Case(
                When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("kind_order", "-as_of", "language_order", "language", "-version")
    )


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
    documents = list(
        published_documents(assembly).prefetch_related(None).values_list("kind", "version", "pages")
    )
    if not documents:
        return None
    final = next(((version, pages) for kind, version, pages in documents if kind == DocumentKind.FINAL), None)
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
