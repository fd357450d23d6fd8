"""The printable letter for a selected respondent (WeasyPrint).

The renderer may fetch only data: URIs and files under our static folders:
the letter never reaches out to the network, whatever ends up in its HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from lottery.models import RecruitmentSettings, Respondent


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            target = Path(url[len("file://") :].split("?")[0]).resolve()
            if any(target.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Letters may not load {url!r}")


def selected_letter_pdf(respondent: Respondent) -> bytes:
    recruitment = RecruitmentSettings.objects.filter(assembly=respondent.assembly).first()
    html = render_to_string(
        "lottery/selection/selected_letter.html",
        {
            "respondent": respondent,
            "assembly": respondent.assembly,
            "session_dates": recruitment.session_dates if recruitment else [],
            "url": settings.SITE_URL.rstrip("/")
            + reverse("lottery:selection_confirm", args=[respondent.confirm_token]),
        },
    )
    static = _static_roots()
    base = static[0].as_uri() + "/" if static else None
    return HTML(string=html, base_url=base, url_fetcher=StaticOnlyFetcher()).write_pdf()
