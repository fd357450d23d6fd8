"""The public reports page (/assemblies/<slug>/reports/) and the published
files, each at an address ending in .pdf, .json or .csv."""

from __future__ import annotations

import base64

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from assemblies.opendata import licensed_download
from reports.files import serve_file
from reports.services import ordered_files

from ..public.selectors import published_assembly
from . import public


def reports_page(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = published_assembly(slug)
    documents = [
        {
            "document": d,
            "language": public.language_in_text(d.language),
            "files": [
                {"file": f, "url": public.file_url(assembly.slug, d, f.format)} for f in ordered_files(d)
            ],
        }
        for d in public.published_documents(assembly)
    ]
    return render(
        request, "recommendations/report/public.html", {"assembly": assembly, "documents": documents}
    )


def _serve(slug: str, key: str, fmt: str) -> HttpResponseBase:
    assembly = published_assembly(slug)
    row = public.published_file(assembly, key, fmt)
    if row is None:
        raise Http404
    response = serve_file(row.file, download_name=row.download_name, content_type=row.content_type)
    # RFC 9530: the digest of the bytes served, the same SHA-256 the page shows.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(row.sha256)).decode()}:"
    # A published version never changes, and anyone may keep a copy; a short
    # lifetime all the same, so a withdrawn version leaves shared caches soon
    # (as long as the public pages' copies live).
    response["Cache-Control"] = f"public, max-age={settings.PLENARY_PUBLIC_CACHE_SECONDS}"
    return response


@licensed_download
def report_pdf(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    return _serve(slug, key, "pdf")


@licensed_download
def report_json(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    return _serve(slug, key, "json")


@licensed_download
def report_csv(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    return _serve(slug, key, "csv")
