"""Plenary minutes: written, circulated to members, answered and approved."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user
from assemblies.audit import audit_record
from assemblies.models import Member
from deliberation.models import MinutesDecision, MinutesResponse, MinutesStatus, PlenaryMinutes, Session

from .. import selectors
from .common import _check_manage


# --- plenary minutes -----------------------------------------------------------------------
@transaction.atomic
def minutes_save(*, session: Session, text: str, by: Actor) -> PlenaryMinutes:
    assembly = _check_manage(session.assembly, by)
    minutes, _created = PlenaryMinutes.objects.select_for_update().get_or_create(session=session)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are approved; they can no longer be changed."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Minutes: write the minutes first.")})
    minutes.text = text
    minutes.updated_by = acting_user(by)  # type: ignore[assignment]  # AUTH_USER_MODEL, typed as its base
    minutes.save()
    audit_record(
        action="deliberation.minutes_saved",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"status": minutes.status},
    )
    return minutes


@transaction.atomic
def minutes_circulate(*, session: Session, by: Actor) -> PlenaryMinutes:
    """Send the minutes to members for approval (responses to an earlier text are cleared)."""
    assembly = _check_manage(session.assembly, by)
    minutes = PlenaryMinutes.objects.select_for_update().filter(session=session).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Write the minutes before sending them to members."))
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are approved already."))
    if minutes.status == MinutesStatus.CIRCULATED:
        minutes.responses.all().delete()  # a revised text: members answer again
    minutes.status, minutes.circulated_at = MinutesStatus.CIRCULATED, timezone.now()
    minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    sent = _email_minutes(minutes)
    audit_record(
        action="deliberation.minutes_circulated",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"emailed": sent},
    )
    return minutes


def _email_minutes(minutes: PlenaryMinutes) -> int:
    """Tell each member, in their language, that the minutes wait for their answer."""
    from django.urls import reverse
    from django.utils import translation

    from assemblies.translations import translated
    from deliberation.sessions.services import member_language
    from notifications.services import queue_email

    session = minutes.session
    assembly = session.assembly
    url = settings.SITE_URL + reverse("portal:deliberation_minutes_detail", args=[assembly.slug, minutes.pk])
    sent = 0
    for member in selectors.seated_members(assembly).select_related("respondent", "assembly"):
        if not member.user.email:
            continue
        language = member_language(member)
        with translation.override(language):
            context = {
                "assembly_title": assembly.title_in(language),
                "session_title": translated(session.title, session.title_translations, language),
                "url": url,
            }
        queue_email(
            to=member.user.email,
            template="minutes_circulated",
            context=context,
            language=language,
            assembly=assembly,
            user=member.user,
        )
        sent += 1
    return sent


@transaction.atomic
def minutes_approve(*, session: Session, by: Actor) -> PlenaryMinutes:
    """Mark the minutes approved (organisers decide once members have answered)."""
    assembly = _check_manage(session.assembly, by)
    minutes = PlenaryMinutes.objects.select_for_update().filter(session=session).first()
    if minutes is None or minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Send the minutes to members before approving them."))
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, timezone.now()
    minutes.save(update_fields=["status", "approved_at", "updated_at"])
    tally = selectors.minutes_tally(minutes)
    audit_record(
        action="deliberation.minutes_approved",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"approve": tally.approve, "correct": tally.correct},
    )
    return minutes


@transaction.atomic
def minutes_respond(
    *, minutes: PlenaryMinutes, member: Member, decision: str, correction: str = "", by: Actor
) -> MinutesResponse:
    """A member approves the circulated minutes or asks for a correction (one answer each, changeable)."""
    assembly = minutes.session.assembly
    if member.assembly_id != assembly.pk or (by is not SYSTEM and member.user_id != getattr(by, "pk", None)):
        raise ValidationError(_("You can only answer for yourself."))
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("These minutes are not open for answers."))
    if decision not in MinutesDecision.values:
        raise ValidationError({"decision": _("Your answer: choose approve or ask for a correction.")})
    correction = (correction or "").strip()
    if decision == MinutesDecision.CORRECT and not correction:
        raise ValidationError({"correction": _("The correction: say what should change.")})
    response, _created = MinutesResponse.objects.update_or_create(
        minutes=minutes,
        member=member,
        defaults={
            "decision": decision,
            "correction": correction if decision == MinutesDecision.CORRECT else "",
        },
    )
    audit_record(
        action="deliberation.minutes_answered",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"decision": decision},
    )
    return response
