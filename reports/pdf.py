"""Plenary's one PDF pipeline: HTML in, PDF out, and nothing fetched from outside.

How an app makes a PDF::

    from django.template.loader import render_to_string
    from reports.pdf import render_pdf

    html = render_to_string("myapp/thing.html", {...})  # {% static %} for CSS, fonts, images
    pdf_bytes = render_pdf(html)

``render_document(html)`` gives WeasyPrint's ``Document`` instead, for callers
that need the pages (count them, or ``document.write_pdf(target)`` to a file).
Templates link our static files with ``{% static %}`` and may embed images as
``data:`` URIs (e.g. QR codes); nothing else loads.

Why a fetcher of our own: a PDF is rendered from HTML that carries text others
typed (an address, a respondent's name, a recommendation), and WeasyPrint's
default fetcher follows any URL: ``http://169.254.169.254/`` (cloud metadata),
``file:///etc/passwd``, an intranet host. ``StaticFilesFetcher`` serves only
files that Django's staticfiles finders (or ``STATIC_ROOT``) resolve and
``data:`` URIs; it refuses everything else with a logged warning and never
opens a socket, so a refused resource is simply left out of the page.

This module is a low layer: it imports Django and WeasyPrint only, never an
app of ours.
"""

from __future__ import annotations

import binascii
import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib import request
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a template ({% static %} gives "/static/...") resolve
# against this made-up origin (``.invalid`` can never resolve in DNS), which
# the fetcher recognises; nothing is ever requested from it.
BASE_URL = "https://plenary.invalid/"


class RefusedURL(ValueError):
    """A resource the PDF may not load. WeasyPrint catches it and leaves the
    resource out; the page still renders."""


class StaticFilesFetcher(URLFetcher):
    """Serve our static files and ``data:`` URIs; refuse everything else."""

    def __init__(self) -> None:
        # ``fetch`` below never calls the base class; ``allowed_protocols`` is
        # a second lock should anything reach it anyway (e.g. ``open()``).
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return data_uri(url)
        path = static_file_path(url)
        if path is None:
            logger.warning("PDF rendering refused to load %.200s: only static files and data: URIs", url)
            raise RefusedURL(f"A PDF may only use Plenary's static files, not {url[:80]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def data_uri(url: str) -> URLFetcherResponse:
    """Decode a ``data:`` URI in memory (urllib's handler, without an opener
    that could hand the URL to any other handler)."""
    try:
        decoded = request.DataHandler().data_open(request.Request(url))  # noqa: S310 - data: only
    except (ValueError, binascii.Error) as error:
        logger.warning("PDF rendering could not decode a data: URI (%s): %.80s", error, url)
        raise RefusedURL("A data: URI that cannot be decoded") from error
    return URLFetcherResponse(url, decoded.read(), {"Content-Type": decoded.headers["Content-Type"]})


def static_file_path(url: str) -> Path | None:
    """The file behind ``url`` if it is one of our static files, else None.

    Only URLs under ``STATIC_URL`` (joined to ``BASE_URL`` when relative) are
    considered; ``file://`` URLs never are, even inside a static folder. The
    path is decoded once and refused if it still holds ``%`` or steps out with
    ``..``, a backslash, a NUL or a leading ``/``, before any finder sees it.
    """
    try:
        parts, static = urlsplit(url), urlsplit(urljoin(BASE_URL, settings.STATIC_URL))
    except ValueError:  # e.g. "http://[::1": not a URL we could serve
        return None
    if (parts.scheme, parts.netloc) != (static.scheme, static.netloc):
        return None
    if not parts.path.startswith(static.path):
        return None
    relative = unquote(parts.path[len(static.path) :])  # query and fragment ignored
    if not relative or any(c in relative for c in ("%", "\\", "\x00")) or relative.startswith("/"):
        return None
    if ".." in relative.split("/") or posixpath.normpath(relative) != relative:
        return None
    try:
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
            found = str(candidate) if candidate.is_file() else None
    except SuspiciousFileOperation:
        return None
    if not found or isinstance(found, list):
        return None
    return Path(found)


def render_document(html: str) -> Document:
    """Lay out ``html`` (a rendered template) with the static-only fetcher."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render()


def render_pdf(html: str) -> bytes:
    """``html`` as PDF bytes, loading only our static files and data: URIs."""
    pdf: bytes = render_document(html).write_pdf()
    return pdf
