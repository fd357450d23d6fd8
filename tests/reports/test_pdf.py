"""The one PDF pipeline: pages render, and only our static files and data:
URIs are ever loaded (never the network, never the disk at large)."""

from __future__ import annotations

import base64
import io
import logging
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from PIL import Image

from reports.pdf import BASE_URL, RefusedURL, StaticFilesFetcher, render_document, render_pdf

# A stylesheet that visibly changes the page: if it is loaded, the page is
# 100 mm square (283.46 pt) instead of A4. That makes "was it loaded?" a
# question about the PDF itself.
SQUARE_PAGE_CSS = b"@page { size: 100mm 100mm; margin: 0 }"
SQUARE = 100 / 25.4 * 96  # CSS pixels, as WeasyPrint measures pages
A4_WIDTH = 210 / 25.4 * 96


def page(head: str = "", body: str = "<p>Hello</p>") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def stylesheet(href: str) -> str:
    return page(head=f'<link rel="stylesheet" href="{href}">')


def page_width(html: str) -> float:
    return float(render_document(html).pages[0].width)


@pytest.fixture
def static_dir(tmp_path: Path, settings: Any) -> Path:
    """Our static folder holds page.css; a secret.css sits right next to it,
    outside static, with the same content (so loading it would show)."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "page.css").write_bytes(SQUARE_PAGE_CSS)
    (tmp_path / "secret.css").write_bytes(SQUARE_PAGE_CSS)
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "collected"
    return static


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and refuse) every attempt to resolve a host, open a socket or
    use urllib, so a test can assert that none was made."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what} {args[1:] if what == 'connect' else args}")
            raise OSError("network is off in this test")

        return _refuse

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("OpenerDirector.open"))
    return attempts


def refused_urls(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "reports.pdf" and r.levelno == logging.WARNING
    ]


def test_a_static_stylesheet_is_loaded(static_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The control for the refusals below: the same CSS, reached through
    # STATIC_URL, does change the page.
    assert page_width(page()) == pytest.approx(A4_WIDTH, abs=0.1)
    assert page_width(stylesheet("/static/css/page.css")) == pytest.approx(SQUARE, abs=0.1)
    assert page_width(stylesheet("/static/css/page.css?v=2#x")) == pytest.approx(SQUARE, abs=0.1)
    assert refused_urls(caplog) == []


def test_a_file_only_in_static_root_is_loaded(static_dir: Path, settings: Any) -> None:
    collected = Path(settings.STATIC_ROOT) / "css"
    collected.mkdir(parents=True)
    (collected / "page.abc123.css").write_bytes(SQUARE_PAGE_CSS)  # e.g. a hashed name from collectstatic
    assert page_width(stylesheet("/static/css/page.abc123.css")) == pytest.approx(SQUARE, abs=0.1)


def test_real_static_files_are_served_with_their_type() -> None:
    fetcher = StaticFilesFetcher()
    css = Path(django_settings.BASE_DIR) / "static" / "css" / "letter.css"
    response = fetcher.fetch(BASE_URL + "static/css/letter.css")
    assert response.read() == css.read_bytes() and response.content_type == "text/css"
    svg = fetcher.fetch(BASE_URL + "static/img/favicon.svg")
    assert svg.read().lstrip().startswith(b"<svg") and svg.content_type == "image/svg+xml"


def test_remote_urls_are_refused_without_touching_the_network(
    no_network: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    html = page(
        head='<link rel="stylesheet" href="https://evil.example.org/x.css">'
        "<style>@import url('http://169.254.169.254/latest/meta-data/');"
        "@font-face { font-family: X; src: url(https://fonts.example.org/x.woff2) }"
        "body { font-family: X; background: url(//evil.example.org/bg.png) }</style>",
        body='<p>Still here</p><img src="http://intranet.local/logo.png" alt="">',
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert no_network == []
    refused = "\n".join(refused_urls(caplog))
    for url in (
        "https://evil.example.org/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "https://fonts.example.org/x.woff2",
        "https://evil.example.org/bg.png",
        "http://intranet.local/logo.png",
    ):
        assert url in refused


def test_the_made_up_origin_serves_nothing_but_static(static_dir: Path) -> None:
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(BASE_URL + "admin/")
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch("https://plenary.invalid:8080/static/css/page.css")


@pytest.mark.parametrize("inside_static", [False, True])
def test_file_urls_are_refused(
    static_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, inside_static: bool
) -> None:
    # file:// never loads, even a path inside a static folder: the one door
    # to static files is STATIC_URL, so there is one policy to check.
    target = static_dir / "css" / "page.css" if inside_static else tmp_path / "secret.css"
    assert page_width(stylesheet(target.as_uri())) == pytest.approx(A4_WIDTH, abs=0.1)
    assert page_width(stylesheet("file:///etc/passwd")) == pytest.approx(A4_WIDTH, abs=0.1)
    assert any(target.as_uri() in message for message in refused_urls(caplog))
    assert any("file:///etc/passwd" in message for message in refused_urls(caplog))


@pytest.mark.parametrize(
    "href",
    [
        "/static/../secret.css",
        "/static/css/../../secret.css",
        "/static/%2e%2e/secret.css",
        "/static/%2E%2E/secret.css",
        "/static/..%2fsecret.css",
        "/static/%2e%2e%2fsecret.css",
        "/static/%252e%252e/secret.css",
        "/static/..%5csecret.css",
        "/static/css/%2e%2e/%2e%2e/secret.css",
        "/static//etc/passwd",
        "/static/%2fetc/passwd",
        "/static/css/page.css%00.png",
    ],
)
def test_path_traversal_is_refused(static_dir: Path, caplog: pytest.LogCaptureFixture, href: str) -> None:
    assert page_width(stylesheet(href)) == pytest.approx(A4_WIDTH, abs=0.1)
    assert len(refused_urls(caplog)) == 1


def test_traversal_to_etc_passwd_is_refused_by_the_fetcher() -> None:
    fetcher = StaticFilesFetcher()
    for url in (
        "http://[::1/static/css/letter.css",  # not even a URL
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "etc/passwd",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_a_data_uri_image_is_drawn(no_network: list[str], caplog: pytest.LogCaptureFixture) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    with_image = render_pdf(page(body=f'<img src="{uri}" alt="" style="width: 4cm">'))
    without = render_pdf(page(body='<img src="" alt="" style="width: 4cm">'))
    assert b"/Subtype /Image" in with_image and b"/Subtype /Image" not in without
    assert no_network == [] and refused_urls(caplog) == []


def test_an_absolute_static_url_is_served_from_disk(
    static_dir: Path, settings: Any, no_network: list[str]
) -> None:
    # With static files on a CDN, {% static %} gives an absolute URL: the
    # renderer still reads the local copy and never asks the CDN.
    settings.STATIC_URL = "https://cdn.example.org/static/"
    assert page_width(stylesheet("https://cdn.example.org/static/css/page.css")) == pytest.approx(
        SQUARE, abs=0.1
    )
    assert no_network == []


def test_an_svg_in_a_data_uri_cannot_reach_out(
    no_network: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    # An SVG's own links go through the same fetcher.
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
        'height="10"><image xlink:href="http://evil.example.org/track.png" width="10" height="10"/></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    assert render_pdf(page(body=f'<img src="{uri}" alt="">')).startswith(b"%PDF")
    assert no_network == []
    assert any("http://evil.example.org/track.png" in message for message in refused_urls(caplog))


def test_a_broken_data_uri_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch("data:image/png;base64,%%%not-base64")
    assert render_pdf(page(body='<img src="data:image/png;base64,%%%" alt="">')).startswith(b"%PDF")
