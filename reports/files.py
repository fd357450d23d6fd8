"""The one file layer: check an upload by its content, and serve a stored file.

Uploads (evidence, receipts) are stored by Django's default storage under
``MEDIA_ROOT``, which the web server never serves: every download goes
through a view that checks who asks, then calls ``serve_file``.

``check_upload`` decides the type from the first bytes, never from the name or
the browser's claimed type, and refuses anything too large or not allowed
with a message in plain words.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    key: str  # "pdf", "png", ...
    content_type: str
    extension: str
    label: str


PDF = FileType("pdf", "application/pdf", ".pdf", "PDF")
PNG = FileType("png", "image/png", ".png", "PNG")
JPEG = FileType("jpeg", "image/jpeg", ".jpg", "JPEG")
WEBP = FileType("webp", "image/webp", ".webp", "WebP")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (.docx)"
)
PPTX = FileType(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptx",
    "PowerPoint (.pptx)",
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text (.odt)")
ODP = FileType("odp", "application/vnd.oasis.opendocument.presentation", ".odp", "OpenDocument slides (.odp)")

DOCUMENTS = (PDF, DOCX, ODT, PPTX, ODP, PNG, JPEG, WEBP)
RECEIPTS = (PDF, PNG, JPEG, WEBP)

_OOXML_PARTS = {"word/document.xml": DOCX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT.content_type: ODT, ODP.content_type: ODP}


def sniff(head: bytes, stream: IO[bytes] | None = None) -> FileType | None:
    """The type of a file from its first bytes (and, for zip-based office
    files, the names inside it); None when it is none we know."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04") and stream is not None:
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    found = _ODF_TYPES.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
                    if found:
                        return found
                for part, kind in _OOXML_PARTS.items():
                    if part in names and "[Content_Types].xml" in names:
                        return kind
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            stream.seek(0)
    return None


def check_upload(upload: Any, *, allowed: tuple[FileType, ...], max_bytes: int) -> FileType:
    """The checked type of an uploaded file, or a ValidationError that says
    what is wrong (too large, empty, or not one of ``allowed``)."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the largest accepted is %(max)s MB.")
            % {"size": f"{size / 1_000_000:.1f}", "max": f"{max_bytes / 1_000_000:g}"}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This file is not one of the accepted kinds (%(kinds)s).")
            % {"kinds": ", ".join(k.label for k in allowed)}
        )
    return kind


def stored_name(title: str, kind: FileType) -> str:
    """A safe file name for storage and downloads, with the checked extension."""
    try:
        stem = get_valid_filename(title).lstrip("._-")[:80]
    except SuspiciousFileOperation:  # "", ".", "..": nothing usable left
        stem = ""
    stem = stem or "file"
    return f"{stem}{kind.extension}"


def serve_file(
    field_file: Any, *, download_name: str, content_type: str, inline: bool = False
) -> FileResponse:
    """A stored file as a download: the type we checked at upload, never
    sniffed by the browser, and sandboxed so it cannot run script as us."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=download_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
