"""Storing, versioning, rendering and publishing documents.

These are the mechanism, not the policy: the app that offers a report (e.g.
``recommendations.report``) checks who may do what, records the audit event
and runs the rendering as a background job (``jobs``, which this low layer
does not import: it reports its steps through a callback), then calls these.

The rules they keep:
- a new rendering is always a new version (the next number for the
  assembly, kind and language), never a rewrite of an existing one;
- a version's files are written once, when it is rendered, with their size
  and SHA-256 computed from the very bytes stored;
- only a rendered version can be published; withdrawing hides it, and keeps
  its bytes, so what was once published never changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .builders import Built, builder_for
from .csv_safety import safe_row
from .models import CONTENT_TYPES, Document, DocumentFile, DocumentKind, DocumentStatus, FileFormat
from .pdf import render_document

logger = logging.getLogger(__name__)

NAME_STEMS = {DocumentKind.FINAL: "final-report", DocumentKind.PROGRESS: "progress-report"}
#: The steps of a rendering, for the job's progress.
STEPS = 4


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_name(kind: str, language: str, version: int) -> str:
    stem = NAME_STEMS.get(DocumentKind(kind), slugify(kind)) if kind in DocumentKind.values else slugify(kind)
    return f"{stem}-{slugify(language)}-v{version}"


@transaction.atomic
def document_create(
    *, assembly: Any, kind: str, language: str, as_of: dt.date | None = None, created_by: Any = None
) -> Document:
    """The next version of a report, as a draft not rendered yet."""
    if builder_for(kind) is None:
        raise ValidationError(_("No app makes this kind of report."))
    # Lock the assembly's row so that two renderings at once get distinct numbers.
    type(assembly)._default_manager.select_for_update().filter(pk=assembly.pk).first()
    latest = Document.objects.filter(assembly_id=assembly.pk, kind=kind, language=language).aggregate(
        n=Max("version")
    )["n"]
    version = (latest or 0) + 1
    return Document.objects.create(
        assembly_id=assembly.pk,
        kind=kind,
        language=language,
        version=version,
        name=document_name(kind, language, version),
        as_of=as_of,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )


def store_file(document: Document, fmt: str, data: bytes) -> DocumentFile:
    """Write one file of a version (once: a format is unique per version) with
    the size and SHA-256 of exactly these bytes."""
    row = DocumentFile(
        document=document,
        format=fmt,
        content_type=CONTENT_TYPES[FileFormat(fmt)],
        size=len(data),
        sha256=sha256_hex(data),
    )
    row.file.save(f"{document.name}.{fmt}", ContentFile(data), save=False)
    row.save()
    return row


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8")


def json_bytes(document: Document, built: Built, pdf: DocumentFile) -> bytes:
    report = {
        "kind": document.kind,
        "language": document.language,
        "version": document.version,
        "name": document.name,
        "title": built.title,
        "as_of": document.as_of.isoformat() if document.as_of else None,
        "rendered_at": document.rendered_at.isoformat() if document.rendered_at else None,
        "pages": document.pages,
        "pdf": {"file": pdf.download_name, "size": pdf.size, "sha256": pdf.sha256},
    }
    payload = {"report": report, **built.data}
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8")


#: ``progress(done, message)``: called before each step and, last, inside the
#: transaction that stores the files, so that raising there (a job whose claim
#: was taken over) stores nothing.
Progress = Callable[[int, str], None]


def document_render(*, document_id: int, progress: Progress) -> Document | None:
    """Build, lay out and store a version's files. Returns the rendered
    document, or None when there is nothing to do (gone, or rendered already:
    a version is never rendered twice)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.is_rendered:
        return None
    builder = builder_for(document.kind)
    if builder is None:
        raise ValidationError(_("No app makes this kind of report."))
    progress(0, _("Collecting the content"))
    with translation.override(document.language):
        built = builder(document.assembly_id, document.language, document.as_of, version=document.version)
        progress(1, _("Laying out the pages"))
        laid_out = render_document(built.html)
    progress(2, _("Writing the PDF"))
    pdf: bytes = laid_out.write_pdf()
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.is_rendered:
            return None
        progress(3, _("Storing the files"))
        locked.title = built.title[:300]
        locked.pages = len(laid_out.pages)
        locked.rendered_at = timezone.now()
        pdf_row = store_file(locked, FileFormat.PDF, pdf)
        store_file(locked, FileFormat.JSON, json_bytes(locked, built, pdf_row))
        store_file(locked, FileFormat.CSV, csv_bytes(built.csv_header, built.csv_rows))
        locked.save(update_fields=["title", "pages", "rendered_at"])
    return locked


@transaction.atomic
def document_publish(*, document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.is_rendered:
        raise ValidationError(_("This version is not ready yet: wait until it is made."))
    if locked.status != DocumentStatus.PUBLISHED:
        locked.status = DocumentStatus.PUBLISHED
        locked.published_at = locked.published_at or timezone.now()
        locked.save(update_fields=["status", "published_at"])
    return locked


@transaction.atomic
def document_withdraw(*, document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status != DocumentStatus.PUBLISHED:
        raise ValidationError(_("Only a published version can be withdrawn."))
    locked.status = DocumentStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked


FORMAT_ORDER = {FileFormat.PDF: 0, FileFormat.JSON: 1, FileFormat.CSV: 2}


def ordered_files(document: Document) -> list[DocumentFile]:
    """PDF first, then JSON, then CSV (uses a ``files`` prefetch when there is one)."""
    return sorted(document.files.all(), key=lambda f: FORMAT_ORDER.get(FileFormat(f.format), 9))
