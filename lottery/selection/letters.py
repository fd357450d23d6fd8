"""The printable letter for a selected respondent (WeasyPrint).

Rendered through ``reports.pdf``, which may fetch only data: URIs and our
static files: the letter never reaches out to the network, whatever ends up
in its HTML. In the respondent's language, with the dates written out, a QR
code of their link and a short code to type at /confirm/ (nobody types a
43-character token).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lottery.invitations.letters import qr_data_uri
from lottery.models import RecruitmentSettings, Respondent
from lottery.registration.notices import session_dates
from reports.pdf import render_pdf

from .notices import confirm_urls


def selected_letter_pdf(respondent: Respondent) -> bytes:
    assembly = respondent.assembly
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    urls = confirm_urls(respondent)
    with translation.override(respondent.language or None):
        html = render_to_string(
            "lottery/selection/selected_letter.html",
            {
                "respondent": respondent,
                # Stored as one line ("1 High St, Riverside, RV1 2AB"): one line each in the window.
                "address_lines": [p.strip() for p in respondent.address.split(",") if p.strip()],
                "assembly": assembly,
                "recruitment": recruitment,
                "letter_date": timezone.localdate(),
                "session_dates": session_dates(recruitment),
                "member_offer": recruitment.member_offer_in() if recruitment else "",
                "qr": qr_data_uri(urls["url"]),
                **urls,
            },
        )
    return render_pdf(html)
