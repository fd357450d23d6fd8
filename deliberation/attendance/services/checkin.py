"""On the day: check-in by badge (idempotent by the phone's key), attendance
marks, and a member's withdrawal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Member, MemberStatus
from deliberation.models import Attendance, AttendanceStatus, Participant, Session, SessionStatus
from deliberation.models.people import BADGE_ALPHABET
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME

from ...selectors import taking_part
from .common import _user


# --- check-in -----------------------------------------------------------------------------
def normalise_badge_code(raw: str) -> str:
    """What a facilitator typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def check_can_facilitate(*, session: Session, by: Actor) -> None:
    authorise(by, FACILITATE, session.assembly, _("You may not check members in at this assembly."))


def find_by_badge(*, session: Session, code: str) -> Member:
    """The member of the session's assembly with this badge code, or a
    ValidationError that says the code is unknown."""
    cleaned = normalise_badge_code(code)
    if not cleaned:
        raise ValidationError(_("Type the code printed on the member's badge."))
    participant = (
        Participant.objects.select_related("member")
        .filter(badge_code=cleaned, member__assembly_id=session.assembly_id)
        .first()
    )
    if participant is None:
        if any(ch not in BADGE_ALPHABET for ch in cleaned):
            raise ValidationError(
                _("“%(code)s” is not a badge code: badge codes have 6 letters and numbers.")
                % {"code": cleaned}
            )
        raise ValidationError(
            _("No member of this assembly has the badge code %(code)s.") % {"code": cleaned}
        )
    return participant.member


@transaction.atomic
def checkin(*, session: Session, member: Member, client_key: str, by: Actor) -> tuple[Attendance, bool]:
    """Mark ``member`` present at ``session``; idempotent by ``client_key``
    (the key the phone made for this check-in) and by member: the same key
    twice, or the same member checked in twice, leaves one row. Returns the
    row and whether this call recorded the check-in."""
    check_can_facilitate(session=session, by=by)
    if member.assembly_id != session.assembly_id:
        raise ValidationError(_("This member is not in this assembly."))
    if member.status == MemberStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s has left the assembly.") % {"name": member})
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    key = (client_key or "").strip()[:64]
    if key:
        sent = Attendance.objects.filter(client_key=key).select_related("session").first()
        if sent is not None:
            if sent.session_id != session.pk or sent.member_id != member.pk:
                raise ValidationError(_("This check-in key was already used for another check-in."))
            return sent, False
    now = timezone.now()
    row = Attendance.objects.select_for_update().filter(session=session, member=member).first()
    if row is not None:
        if row.status == AttendanceStatus.PRESENT:
            return row, False
        row.status = AttendanceStatus.PRESENT
        row.checked_in_at = now
        row.recorded_by = _user(by)
        if not row.client_key and key:
            row.client_key = key
        row.save()
    else:
        try:
            with transaction.atomic():
                row = Attendance.objects.create(
                    session=session,
                    member=member,
                    status=AttendanceStatus.PRESENT,
                    checked_in_at=now,
                    recorded_by=_user(by),
                    client_key=key,
                )
        except IntegrityError:
            # The same check-in arrived twice at once: the other one recorded it.
            row = Attendance.objects.get(session=session, member=member)
            return row, False
    audit_record(
        action="deliberation.checked_in",
        by=by,
        assembly=session.assembly,
        obj=row,
        data={"session": session.pk, "member": member.pk},
    )
    return row, True


# --- attendance marks, flags, withdrawal -----------------------------------------------
@transaction.atomic
def attendance_mark(*, session: Session, member: Member, status: str, by: Actor) -> Attendance:
    """Organisers record (or correct) a member's attendance at a session."""
    authorise(by, MANAGE_PROGRAMME, session.assembly, _("You may not record attendance."))
    if member.assembly_id != session.assembly_id:
        raise ValidationError(_("This member is not in this assembly."))
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, absent or excused."))
    row, _created = Attendance.objects.select_for_update().get_or_create(
        session=session, member=member, defaults={"status": status, "recorded_by": acting_user(by)}
    )
    before = "" if _created else row.status
    if not _created and row.status != status:
        row.status = status
        row.recorded_by = _user(by)
        if status == AttendanceStatus.PRESENT and row.checked_in_at is None:
            row.checked_in_at = timezone.now()
        row.save()
    if before != status:
        audit_record(
            action="deliberation.attendance_marked",
            by=by,
            assembly=session.assembly,
            obj=row,
            data={"session": session.pk, "member": member.pk, "from": before, "to": status},
        )
    return row


@transaction.atomic
def attendance_mark_rest_absent(*, session: Session, by: Actor) -> int:
    """After a session: everyone still taking part who was not checked in
    (nor excused) is recorded absent; the session is marked held. Returns how many."""
    authorise(by, MANAGE_PROGRAMME, session.assembly, _("You may not record attendance."))
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session was cancelled: nobody can miss it."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("This session has not started yet."))
    recorded = Attendance.objects.filter(session=session).values_list("member_id", flat=True)
    missing = list(taking_part(session.assembly).exclude(pk__in=recorded).values_list("pk", flat=True))
    user = _user(by)
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, member_id=pk, status=AttendanceStatus.ABSENT, recorded_by=user)
            for pk in missing
        ]
    )
    if session.status != SessionStatus.HELD:
        session.status = SessionStatus.HELD
        session.save(update_fields=["status", "updated_at"])
    audit_record(
        action="deliberation.attendance_closed",
        by=by,
        assembly=session.assembly,
        obj=session,
        data={"absent": len(missing)},
    )
    return len(missing)


def member_withdraw(*, member: Member, by: Actor) -> str:
    """A member leaves the assembly. While the panel can still change, their
    seat goes through selection's replacement flow (the first fitting reserve
    is offered it); after that they are only marked withdrawn. Returns what
    happened, in words for the organiser."""
    from lottery.models import RecruitmentSettings, RespondentStatus
    from lottery.selection.services.panel import respondent_withdraw

    assembly = member.assembly
    authorise(by, MANAGE_PROGRAMME, assembly, _("You may not record that a member left."))
    if member.status == MemberStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s has already left the assembly.") % {"name": member})
    respondent = getattr(member, "respondent", None)
    final = RecruitmentSettings.objects.filter(assembly=assembly, panel_final_at__isnull=False).exists()
    on_panel = respondent is not None and respondent.status in (
        RespondentStatus.SELECTED,
        RespondentStatus.CONFIRMED,
    )
    with transaction.atomic():
        if on_panel and not final:
            assert respondent is not None
            before = set(
                assembly.respondents.filter(status=RespondentStatus.SELECTED).values_list("pk", flat=True)
            )
            respondent_withdraw(respondent=respondent, by=by)
            offered = (
                assembly.respondents.filter(status=RespondentStatus.SELECTED).exclude(pk__in=before).exists()
            )
            audit_record(
                action="deliberation.member_withdrawn",
                by=by,
                assembly=assembly,
                obj=member,
                data={"replacement": True},
            )
            if offered:
                return _("%(name)s has left. Their seat was offered to the next fitting reserve.") % {
                    "name": member
                }
            return _(
                "%(name)s has left. No reserve fits the quotas: the seat stays vacant until you draw "
                "a replacement."
            ) % {"name": member}
        Member.objects.filter(pk=member.pk).update(status=MemberStatus.WITHDRAWN)
        if respondent is not None and respondent.status in (
            RespondentStatus.SELECTED,
            RespondentStatus.CONFIRMED,
        ):
            type(respondent).objects.filter(pk=respondent.pk).update(status=RespondentStatus.WITHDRAWN)
        audit_record(
            action="deliberation.member_withdrawn",
            by=by,
            assembly=assembly,
            obj=member,
            data={"replacement": False},
        )
    if final:
        return _("%(name)s is marked as having left. The panel is final, so nobody replaces them.") % {
            "name": member
        }
    return _(
        "%(name)s is marked as having left. They were not drawn by the lottery here, so there is no "
        "seat to offer to a reserve."
    ) % {"name": member}
