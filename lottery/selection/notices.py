"""Emails to the people a draw chose: the selected (accept or decline) and
the reserves (told they are reserves, and that there is nothing to do yet).

Both in the respondent's language, with the assembly's contact, through the
outbox (see ``lottery.registration.notices``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from assemblies.models import Assembly
from lottery.models import RecruitmentSettings, Respondent
from lottery.registration.notices import emailable, resident_context, session_dates
from notifications.services import queue_email


def printed_code(code: str) -> str:
    """A short code as printed and emailed: two groups of four, easy to read out."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def confirm_urls(respondent: Respondent) -> dict[str, str]:
    """The long link (for clicking) and the short page with the code (for typing)."""
    site = settings.SITE_URL.rstrip("/")
    return {
        "url": site + reverse("lottery:selection_confirm", args=[respondent.confirm_token]),
        "short_url": site + reverse("lottery:selection_confirm_code"),
        "confirm_code": printed_code(respondent.confirm_code),
    }


def selected_context(respondent: Respondent, assembly: Assembly) -> dict[str, Any]:
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    return {
        **resident_context(assembly, respondent.language),
        **confirm_urls(respondent),
        "first_name": respondent.first_name,
        "session_dates": session_dates(recruitment),
    }


def notify_reserve(respondent: Respondent, assembly: Assembly) -> None:
    """Tell a reserve they are one, their place on the list, and that they need do nothing now."""
    if not emailable(respondent):
        return
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    queue_email(
        to=respondent.email,
        template="reserve",
        context={
            **resident_context(assembly, respondent.language),
            "first_name": respondent.first_name,
            "position": respondent.reserve_position,
            "session_dates": session_dates(recruitment),
        },
        language=respondent.language,
        assembly=assembly,
    )
