"""Writes of the sessions part: plan and change sessions, order their agenda,
tell members of a change of time or place (once per save), and send the
week and day reminders (each once, whatever the number of workers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, authorise, require_actor
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.translations import translated
from notifications.services import queue_email

from ..models import AgendaItem, Participant, Session, SessionMode, SessionStatus
from ..rules import MANAGE_PROGRAMME
from .selectors import agenda_timeline, session_length, session_members

#: The fields whose change members are told about (time or place).
CHANGE_FIELDS = (
    "starts_at",
    "ends_at",
    "mode",
    "venue_name",
    "venue_address",
    "online_url",
    "status",
)
#: Every field an organiser may set through ``session_create``/``session_update``.
EDITABLE_FIELDS = (
    "title",
    "title_translations",
    "starts_at",
    "ends_at",
    "mode",
    "venue_name",
    "venue_address",
    "access_info",
    "online_url",
    "is_public",
    "status",
    "notes_for_members",
)
REMINDERS = {"week": dt.timedelta(days=7), "day": dt.timedelta(days=1)}


# --- checks -----------------------------------------------------------------------
def check_manage_programme(*, assembly: Assembly, by: Any) -> None:
    authorise(by, MANAGE_PROGRAMME, assembly, _("You may not plan this assembly's programme."))


def check_session_fields(session: Session) -> None:
    """Field errors by name, so a form shows each beside its field."""
    errors: dict[str, list[str]] = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
    if session.mode in (SessionMode.ONLINE, SessionMode.HYBRID) and not session.online_url:
        errors.setdefault("online_url", []).append(_("An online or hybrid session needs a link to join."))
    if session.mode in (SessionMode.IN_PERSON, SessionMode.HYBRID) and not (
        session.venue_name or session.venue_address
    ):
        errors.setdefault("venue_name", []).append(_("Say where the session takes place."))
    if errors:
        raise ValidationError(errors)


def agenda_overrun(session: Session, items: Iterable[AgendaItem] | None = None) -> int:
    """Minutes by which the agenda runs past the session's end (0 when it fits)."""
    items = list(items) if items is not None else list(session.items.all())
    return max(0, sum(item.minutes for item in items) - session_length(session))


def agenda_warning(session: Session, items: Iterable[AgendaItem] | None = None) -> str:
    """The organiser's warning when the agenda runs over, else ""."""
    items = list(items) if items is not None else list(session.items.all())
    over = agenda_overrun(session, items)
    if not over:
        return ""
    total = sum(item.minutes for item in items)
    return _(
        "The agenda of “%(title)s” lasts %(total)s minutes but the session lasts %(length)s: "
        "it runs %(over)s minutes over. Shorten items or end the session later."
    ) % {"title": session.title, "total": total, "length": session_length(session), "over": over}


# --- sessions ---------------------------------------------------------------------
@transaction.atomic
def session_create(
    *, assembly: Assembly, data: Mapping[str, Any], by: Any, into: Session | None = None
) -> Session:
    """Plan a session (``into``: an unsaved instance to fill, e.g. the admin form's)."""
    check_manage_programme(assembly=assembly, by=by)
    session = into if into is not None else Session()
    session.assembly = assembly
    for name, value in data.items():
        if name in EDITABLE_FIELDS:
            setattr(session, name, value)
    check_session_fields(session)
    session.save()
    audit_record(action="deliberation.session_added", by=by, assembly=assembly, obj=session)
    return session


@transaction.atomic
def session_update(*, session: Session, data: Mapping[str, Any], by: Any) -> Session:
    """Change a session; when its time or place changed (one or several
    fields), bump its calendar sequence and email each active member once."""
    locked = Session.objects.select_for_update().select_related("assembly").get(pk=session.pk)
    check_manage_programme(assembly=locked.assembly, by=by)
    changed = [
        name for name, value in data.items() if name in EDITABLE_FIELDS and getattr(locked, name) != value
    ]
    was_cancelled = locked.status == SessionStatus.CANCELLED
    for name in changed:
        setattr(locked, name, data[name])
    check_session_fields(locked)
    moved = [name for name in changed if name in CHANGE_FIELDS]
    if "status" in moved and not (was_cancelled or locked.status == SessionStatus.CANCELLED):
        moved.remove("status")  # planned -> held is no news to the members
    update_fields = [*changed, "updated_at"]
    if moved:
        locked.sequence = F("sequence") + 1
        update_fields.append("sequence")
    if "starts_at" in changed:
        now = timezone.now()
        for kind, before in REMINDERS.items():
            attr = f"{kind}_reminder_sent_at"
            # Remind again for the new date, unless it is already too close.
            setattr(locked, attr, None if locked.starts_at - before > now else getattr(locked, attr) or now)
            update_fields.append(attr)
    if changed:
        locked.save(update_fields=update_fields)
        locked.refresh_from_db(fields=["sequence"])
        audit_record(
            action="deliberation.session_changed",
            by=by,
            assembly=locked.assembly,
            obj=locked,
            data={"fields": changed},
        )
    if moved and locked.ends_at > timezone.now():
        _notify_change(locked, moved)
    for name in (*changed, "sequence", "week_reminder_sent_at", "day_reminder_sent_at", "updated_at"):
        setattr(session, name, getattr(locked, name))
    return locked


def _notify_change(session: Session, fields: list[str]) -> int:
    cancelled = session.status == SessionStatus.CANCELLED
    sent = 0
    for member in session_members(session.assembly):
        sent += _email_member(
            member, session, template="session_changed", extra={"cancelled": cancelled, "fields": fields}
        )
    return sent


# --- agenda -----------------------------------------------------------------------
@transaction.atomic
def agenda_move(*, item: AgendaItem, direction: str, by: Any) -> list[AgendaItem]:
    """Move an agenda item one place up or down; positions become 1..n."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    session = Session.objects.select_for_update().select_related("assembly").get(pk=item.session_id)
    check_manage_programme(assembly=session.assembly, by=by)
    items = list(session.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        message = (
            _("“%(title)s” is already first.") if direction == "up" else _("“%(title)s” is already last.")
        )
        raise ValidationError(message % {"title": item.title})
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    audit_record(
        action="deliberation.agenda_reordered",
        by=by,
        assembly=session.assembly,
        obj=session,
        data={"item": item.pk, "direction": direction},
    )
    return items


@transaction.atomic
def agenda_reorder(*, session: Session, order: list[int], by: Any) -> list[AgendaItem]:
    """Put a session's items in ``order`` (their ids, every one exactly once)."""
    locked = Session.objects.select_for_update().select_related("assembly").get(pk=session.pk)
    check_manage_programme(assembly=locked.assembly, by=by)
    items = {item.pk: item for item in locked.items.all()}
    if sorted(order) != sorted(items):
        raise ValidationError(_("The new order must name each item of this session once."))
    ordered = [items[pk] for pk in order]
    _renumber(ordered)
    audit_record(
        action="deliberation.agenda_reordered",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"order": order},
    )
    return ordered


def agenda_normalise(*, session: Session) -> None:
    """Positions 1..n in the current order (after the admin's inline saved)."""
    _renumber(list(session.items.order_by("position", "id")))


def _renumber(items: list[AgendaItem]) -> None:
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            AgendaItem.objects.filter(pk=item.pk).update(position=number)


# --- the member's calendar link ------------------------------------------------------
def participant_for(member: Member) -> Participant:
    """The member's deliberation record, made on first need."""
    participant, _created = Participant.objects.get_or_create(member=member)
    return participant


@transaction.atomic
def calendar_token_reset(*, member: Member, by: Any) -> Participant:
    """A new private calendar address for ``member``; the old one stops working."""
    from ..models.people import new_calendar_token

    require_actor(by)
    if by is not SYSTEM and getattr(by, "pk", None) != member.user_id:
        raise PermissionDenied(_("Only the member can reset their calendar link."))
    participant = participant_for(member)
    participant.calendar_token = new_calendar_token()
    participant.save(update_fields=["calendar_token"])
    audit_record(action="deliberation.calendar_link_reset", by=by, assembly=member.assembly, obj=participant)
    return participant


# --- reminders --------------------------------------------------------------------
def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send every due week and day reminder once; returns the emails queued.

    Each (session, kind) is claimed by a conditional UPDATE inside its own
    transaction: a second worker's UPDATE matches no row and sends nothing."""
    now = now or timezone.now()
    queued = 0
    for kind, before in REMINDERS.items():
        attr = f"{kind}_reminder_sent_at"
        due = Session.objects.filter(
            status=SessionStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + before,
            **{f"{attr}__isnull": True},
        ).values_list("pk", flat=True)
        for pk in list(due):
            queued += _send_reminder(pk, kind, now)
    return queued


@transaction.atomic
def _send_reminder(pk: int, kind: str, now: dt.datetime) -> int:
    attr = f"{kind}_reminder_sent_at"
    claimed = Session.objects.filter(pk=pk, **{f"{attr}__isnull": True}).update(**{attr: now})
    if not claimed:
        return 0
    session = Session.objects.select_related("assembly").get(pk=pk)
    if kind == "week" and session.starts_at - now <= REMINDERS["day"]:
        return 0  # the day reminder will go; two in a row would be noise
    sent = 0
    for member in session_members(session.assembly):
        sent += _email_member(member, session, template="session_reminder", extra={"kind": kind})
    audit_record(
        action="deliberation.session_reminded",
        by=SYSTEM,
        assembly=session.assembly,
        obj=session,
        data={"kind": kind, "emails": sent},
    )
    return sent


# --- emails -----------------------------------------------------------------------
def member_language(member: Member) -> str:
    """The language the member chose at registration, if the assembly works in
    it; else the assembly's first language (as the lottery's emails do)."""
    languages = [code for code in (member.assembly.languages or []) if isinstance(code, str) and code] or [
        settings.LANGUAGE_CODE
    ]
    try:
        chosen = (member.respondent.language or "").lower()
    except Exception:  # no respondent (added by hand)
        chosen = ""
    for code in (chosen, chosen.split("-")[0]):
        if code and code in languages:
            return code
    return languages[0]


def session_email_context(session: Session, language: str) -> dict[str, Any]:
    """What the session emails show, formatted in ``language`` and the site's time zone."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    url = settings.SITE_URL + reverse("portal:deliberation_schedule", args=[session.assembly.slug])
    with translation.override(language):
        return {
            "assembly_title": session.assembly.title_in(language),
            "session_title": translated(session.title, session.title_translations, language),
            "date": formats.date_format(start, "l j F Y"),
            "start_time": formats.time_format(start, "H:i"),
            "end_time": formats.time_format(end, "H:i"),
            "mode": str(SessionMode(session.mode).label),
            "venue_name": session.venue_name,
            "venue_address": session.venue_address,
            "access_info": session.access_info,
            "online_url": session.online_url,
            "url": url,
        }


def _email_member(member: Member, session: Session, *, template: str, extra: Mapping[str, Any]) -> int:
    email = member.user.email
    if not email:
        return 0
    language = member_language(member)
    queue_email(
        to=email,
        template=template,
        language=language,
        assembly=session.assembly,
        user=member.user,
        context={**session_email_context(session, language), **extra},
    )
    return 1


__all__ = [
    "agenda_move",
    "agenda_normalise",
    "agenda_overrun",
    "agenda_reorder",
    "agenda_timeline",
    "agenda_warning",
    "calendar_token_reset",
    "participant_for",
    "send_due_reminders",
    "session_create",
    "session_update",
]
