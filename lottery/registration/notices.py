"""Emails to residents about their registration, through the outbox, in
their language, always with the organisers' contact.

Email contexts must be JSON (the outbox keeps them to render again): texts
are translated here, in the recipient's language, and dates passed as dates.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from assemblies.models import Assembly
from lottery.models import RecruitmentSettings, Respondent
from notifications.services import queue_email

logger = logging.getLogger(__name__)


def session_dates(recruitment: RecruitmentSettings | None) -> list[dt.date]:
    """The session dates as dates (stored as ISO strings), skipping any that do not parse."""
    dates = []
    for raw in (recruitment.session_dates if recruitment else None) or []:
        try:
            dates.append(dt.date.fromisoformat(str(raw)))
        except ValueError:
            continue
    return sorted(dates)


def resident_context(assembly: Assembly, language: str) -> dict[str, Any]:
    """What every email to a resident or member of ``assembly`` shows."""
    return {
        "assembly_title": assembly.title_in(language),
        "organisation": assembly.organisation.name,
        "contact": assembly.contact_details(),
    }


def emailable(respondent: Respondent) -> bool:
    if not respondent.email:
        return False
    try:
        validate_email(respondent.email)
    except ValidationError:
        logger.warning("Not emailing %s: invalid address.", respondent)
        return False
    return True


def notify_registered(respondent: Respondent, recruitment: RecruitmentSettings) -> None:
    """ "Thank you for registering": what happens next, when, and whom to ask."""
    if not emailable(respondent):
        return
    assembly = respondent.assembly
    queue_email(
        to=respondent.email,
        template="registered",
        context={
            **resident_context(assembly, respondent.language),
            "first_name": respondent.first_name,
            "closes_on": recruitment.registration_closes_on,
            "session_dates": session_dates(recruitment),
            "retention_days": recruitment.retention_days,
        },
        language=respondent.language,
        assembly=assembly,
    )
