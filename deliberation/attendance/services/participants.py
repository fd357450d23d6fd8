"""Participants and their access needs (from registration, or changed by hand)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Member
from assemblies.rules import SEE_PERSONAL_DATA
from deliberation.models import AccessNeed, Participant
from deliberation.models.people import new_badge_code


# --- participants and access needs ------------------------------------------------------
def needs_from_registration(member: Member) -> dict[str, Any]:
    """What the member gave at registration (their respondent row), as a
    participant's fields; nothing when they did not register (added by hand)."""
    respondent = getattr(member, "respondent", None)
    if respondent is None:
        return {}
    valid = set(AccessNeed.values)
    return {
        "access_needs": [n for n in (respondent.access_need_list or []) if n in valid],
        "interpreter_language": (respondent.interpreter_language or "")[:80],
        "access_notes": respondent.access_needs or "",
    }


def _create_participant(member: Member, taken: set[str]) -> Participant:
    for _attempt in range(20):
        code = new_badge_code()
        if code in taken:
            continue
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    member=member, badge_code=code, **needs_from_registration(member)
                )
        except IntegrityError:
            existing = Participant.objects.filter(member=member).first()
            if existing is not None:  # another request made it meanwhile
                return existing
            taken.add(code)
            continue
        taken.add(code)
        return participant
    raise RuntimeError("no free badge code after 20 tries")  # 31**6 codes: never in practice


def ensure_participant(*, member: Member) -> Participant:
    """The member's participant record, made on first need with a unique
    badge code and the access needs they gave at registration. No permission:
    it only derives a record from data the system already holds."""
    existing = Participant.objects.filter(member=member).first()
    if existing is not None:
        return existing
    return _create_participant(member, set())


def ensure_participants(*, members: Iterable[Member]) -> dict[int, Participant]:
    """Participants for many members at once (badges, logistics, check-in):
    member id → participant, creating those missing."""
    members = list(members)
    found = {p.member_id: p for p in Participant.objects.filter(member__in=members)}
    missing = [m for m in members if m.pk not in found]
    if missing:
        taken = set(Participant.objects.values_list("badge_code", flat=True))
        for member in missing:
            found[member.pk] = _create_participant(member, taken)
    return found


def participant_update_needs(
    *,
    participant: Participant,
    needs: Iterable[str],
    interpreter_language: str,
    notes: str,
    by: Actor,
) -> Participant:
    """Organisers correct a member's access needs (personal data)."""
    assembly = participant.member.assembly
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not change members' access needs."))
    valid = set(AccessNeed.values)
    chosen = [n for n in AccessNeed.values if n in set(needs)]
    unknown = sorted(set(needs) - valid)
    if unknown:
        raise ValidationError(_("Unknown access need: %(need)s.") % {"need": ", ".join(unknown)})
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.access_needs = chosen
        participant.interpreter_language = interpreter_language.strip()[:80]
        participant.access_notes = notes.strip()
        participant.save(update_fields=["access_needs", "interpreter_language", "access_notes"])
        # Which needs, not the notes: the audit trail is read more widely.
        audit_record(
            action="deliberation.access_needs_changed",
            by=by,
            assembly=assembly,
            obj=participant,
            data={"needs": chosen},
        )
    return participant
