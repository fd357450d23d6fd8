"""Invitation letters as PDF: one page per invited address (WeasyPrint).

The PDF is rendered by a worker from our own template through
``reports.pdf``, which loads only our static files and ``data:`` URIs (the QR
codes), never the network or the disk at large, so a value typed into an
address file cannot make the renderer fetch anything.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote

import qrcode
import qrcode.constants
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from PIL import Image

from assemblies.models import Assembly
from lottery.models import RecruitmentSettings
from lottery.registration.notices import session_dates
from reports.pdf import render_document


@dataclass(frozen=True)
class Letter:
    sequence: int
    code: str
    address_lines: list[str]


def address_lines(line1: str, line2: str, town: str, postcode: str) -> list[str]:
    """The address as printed on the envelope window: the postcode after the
    town, on its own line (the postal services' rule in the UK)."""
    return [p for p in (line1, line2, town, postcode) if p]


def registration_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/register/"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI, one pixel per module.

    The letter's CSS scales it up with ``image-rendering: pixelated``, so it
    prints sharp. Speed matters (30,000 letters): a tiny bitmap costs the
    PDF writer almost nothing where an SVG path costs ~0.1 s a page, and a
    fixed mask pattern skips qrcode's slow search for the best of eight
    (any mask is valid; the best one only eases reading marginally).
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def letter_language(assembly: Assembly) -> str:
    languages = assembly.languages or []
    return languages[0] if languages else settings.LANGUAGE_CODE


def render_letters(*, assembly: Assembly, letters: list[Letter], target: IO[bytes]) -> int:
    """Write one PDF page per letter to ``target``; return the page count."""
    url = registration_url()
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    language = letter_language(assembly)
    with translation.override(language):
        html = render_to_string(
            "lottery/letters/letter.html",
            {
                "assembly": assembly,
                "recruitment": recruitment,
                "letter_date": timezone.localdate(),
                "session_dates": session_dates(recruitment),
                "member_offer": recruitment.member_offer_in(language) if recruitment else "",
                "registration_url": url,
                "letters": [
                    {
                        "letter": letter,
                        "qr": qr_data_uri(f"{url}?code={quote(letter.code)}"),
                    }
                    for letter in letters
                ],
                "language": translation.get_language(),
            },
        )
    document = render_document(html)
    document.write_pdf(target)
    return len(document.pages)
