"""The printable letter for a selected respondent (WeasyPrint).

Rendered through ``reports.pdf``, which may fetch only data: URIs and our
static files: the letter never reaches out to the network, whatever ends up
in its HTML.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from lottery.models import RecruitmentSettings, Respondent
from reports.pdf import render_pdf


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
    return render_pdf(html)
