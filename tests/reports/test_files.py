"""The one file layer: types decided by content, sizes refused in plain
words, stored files served as downloads that cannot run script as us."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.files import DOCUMENTS, DOCX, PDF, PNG, RECEIPTS, check_upload, serve_file, sniff, stored_name

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_pdf_is_accepted_whatever_its_name() -> None:
    upload = SimpleUploadedFile("notes.txt", PDF_BYTES, content_type="text/plain")
    assert check_upload(upload, allowed=DOCUMENTS, max_bytes=1_000_000) is PDF


def test_a_word_document_is_recognised_from_inside_the_zip() -> None:
    upload = SimpleUploadedFile("report.docx", _docx())
    assert check_upload(upload, allowed=DOCUMENTS, max_bytes=1_000_000) is DOCX


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",  # a Windows program
        b"<!DOCTYPE html><script>alert(1)</script>",  # a web page
        b"PK\x03\x04not really a zip",  # a broken zip
    ],
    ids=["exe", "html", "broken-zip"],
)
def test_a_file_renamed_pdf_is_refused_with_a_plain_message(content: bytes) -> None:
    upload = SimpleUploadedFile("evidence.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        check_upload(upload, allowed=DOCUMENTS, max_bytes=1_000_000)
    assert "not one of the accepted kinds" in caught.value.messages[0]
    assert "PDF" in caught.value.messages[0]


def test_a_kind_not_allowed_here_is_refused() -> None:
    upload = SimpleUploadedFile("receipt.docx", _docx())
    with pytest.raises(ValidationError):
        check_upload(upload, allowed=RECEIPTS, max_bytes=1_000_000)


def test_too_large_and_empty_files_are_refused() -> None:
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 3_000_000)
    with pytest.raises(ValidationError) as caught:
        check_upload(big, allowed=DOCUMENTS, max_bytes=2_000_000)
    assert caught.value.messages == ["The file is 3.0 MB; the largest accepted is 2 MB."]
    with pytest.raises(ValidationError, match="empty"):
        check_upload(SimpleUploadedFile("e.pdf", b""), allowed=DOCUMENTS, max_bytes=2_000_000)


def test_sniff_reads_images_and_leaves_the_stream_at_the_start() -> None:
    stream = io.BytesIO(_docx())
    assert sniff(stream.read(16), stream) is DOCX
    assert stream.tell() == 0
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00") is PNG
    assert sniff(b"GIF89a") is None


def test_stored_name_is_safe_and_takes_the_checked_extension() -> None:
    assert stored_name("../../etc/passwd report", PDF) == "etcpasswd_report.pdf"
    assert stored_name("", PDF) == "file.pdf"


def test_serve_file_is_a_sandboxed_private_download(tmp_path: object) -> None:
    response = serve_file(
        ContentFile(PDF_BYTES, name="x.pdf"), download_name="Report.pdf", content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Report.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES
