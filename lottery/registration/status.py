"""Whether residents may register now, and what an organiser must add first.

Registration is open only while the assembly is Recruiting, until the last
day the organisers set (RecruitmentSettings.registration_closes_on), and
until a panel is drawn; and never without a privacy notice to consent to.
Both the public pages and the registration service ask here, so a page can
never promise what the service then refuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.models import Assembly, Stage
from lottery.models import DrawStatus, RecruitmentSettings, SelectionRun


class Reason:
    """Why registration is not open (plain strings, compared by the page)."""

    NOT_YET = "not_yet"  # draft, or no privacy notice yet
    DEADLINE = "deadline"  # past the last day to register
    CLOSED = "closed"  # the assembly moved on, or the panel is drawn


@dataclass(frozen=True)
class RegistrationStatus:
    is_open: bool
    reason: str = ""
    closes_on: dt.date | None = None


def registration_status(
    assembly: Assembly, recruitment: RecruitmentSettings, *, today: dt.date | None = None
) -> RegistrationStatus:
    closes_on = recruitment.registration_closes_on
    today = today or timezone.localdate()
    if assembly.stage == Stage.DRAFT:
        return RegistrationStatus(False, Reason.NOT_YET, closes_on)
    if assembly.stage != Stage.RECRUITING or recruitment.panel_final_at is not None or _drawn(assembly):
        return RegistrationStatus(False, Reason.CLOSED, closes_on)
    if closes_on is not None and today > closes_on:
        return RegistrationStatus(False, Reason.DEADLINE, closes_on)
    if not recruitment.privacy_notice.strip():
        return RegistrationStatus(False, Reason.NOT_YET, closes_on)
    return RegistrationStatus(True, "", closes_on)


def _drawn(assembly: Assembly) -> bool:
    return SelectionRun.objects.filter(assembly=assembly, status=DrawStatus.DRAWN).exists()


def registration_missing(assembly: Assembly, recruitment: RecruitmentSettings) -> list[str]:
    """What an organiser must add before residents can register (plain words)."""
    missing = []
    if not recruitment.privacy_notice.strip():
        missing.append(
            _(
                "a privacy notice (Recruitment settings): residents consent to it when they register, "
                "so they must be able to read it"
            )
        )
    if not assembly.has_contact:
        missing.append(
            _(
                "a contact for residents, an email address or a phone (the assembly's “Contact for "
                "residents and members” section): it is printed on the letters"
            )
        )
    return missing


def recruiting_guard(assembly: Assembly, to_stage: str) -> str | None:
    """A stage guard: refuse Recruiting while residents could not register properly."""
    if to_stage != Stage.RECRUITING:
        return None
    recruitment, _created = RecruitmentSettings.objects.get_or_create(assembly=assembly)
    missing = registration_missing(assembly, recruitment)
    if not missing:
        return None
    return _("Registration cannot open yet. Add %(missing)s.") % {"missing": "; ".join(missing)}
