"""Writes for members' voice and care: announcements, the code of conduct,
concerns. Keyword-only, one transaction, checked, audited.

A concern's text never reaches the audit log or a log line: only its number
and status do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, MemberStatus, TeamMembership
from assemblies.rules import MANAGE_ASSEMBLY, SEE_PERSONAL_DATA
from notifications.services import queue_email, queue_prerendered_email

from ..models import (
    Announcement,
    AnnouncementRecipient,
    AssemblyCare,
    Audience,
    Concern,
    ConcernStatus,
    Delivery,
    Session,
)
from ..rules import MANAGE_PROGRAMME
from . import audiences, selectors

SUBJECT_MAX = 200
BODY_MAX = 10_000
CONCERN_MAX = 5_000
CONCERNS_PER_DAY = 10  # a stuck button or a script, not a person: they can still call


def _clean_texts(
    languages: list[str], subjects: Mapping[str, str], bodies: Mapping[str, str]
) -> tuple[str, str, dict[str, str], dict[str, str]]:
    """The original (first language) and the translations; the first
    language's subject and body are required, the others fall back to it."""
    first = languages[0]
    errors: dict[str, list[str]] = {}
    subject = (subjects.get(first) or "").strip()
    body = (bodies.get(first) or "").strip()
    if not subject:
        errors[f"subject_{first}"] = [_("Write a subject.")]
    if not body:
        errors[f"body_{first}"] = [_("Write the message.")]
    for code in languages:
        if len((subjects.get(code) or "").strip()) > SUBJECT_MAX:
            errors[f"subject_{code}"] = [_("Keep the subject under %(n)s characters.") % {"n": SUBJECT_MAX}]
        if len((bodies.get(code) or "").strip()) > BODY_MAX:
            errors[f"body_{code}"] = [_("Keep the message under %(n)s characters.") % {"n": BODY_MAX}]
    if errors:
        raise ValidationError(errors)
    subject_translations = {c: s for c in languages[1:] if (s := (subjects.get(c) or "").strip())}
    body_translations = {c: b for c in languages[1:] if (b := (bodies.get(c) or "").strip())}
    return subject, body, subject_translations, body_translations


def _check_audience(
    assembly: Assembly,
    audience: str,
    session: Session | None,
    table: Any,
    group_key: str | None,
    group_id: int | None,
) -> str | None:
    """Refuse an audience that names nothing of this assembly; the group's name
    for ``Audience.GROUP`` (else None)."""
    if audience not in Audience.values:
        raise ValidationError({"audience": [_("Choose who receives the announcement.")]})
    if audience == Audience.SESSION and (session is None or session.assembly_id != assembly.pk):
        raise ValidationError({"session": [_("Choose a session of this assembly.")]})
    if audience == Audience.TABLE and table is None:
        raise ValidationError({"table": [_("Choose a table.")]})
    group_name = None
    if audience == Audience.GROUP:
        if audiences.get(group_key) is None:
            raise ValidationError({"audience": [_("Choose who receives the announcement.")]})
        group_name = audiences.group_name(assembly, group_key, group_id)
        if group_name is None:
            raise ValidationError({f"group_{group_key}": [_("Choose a group of this assembly.")]})
    return group_name


def _deliver(
    assembly: Assembly, announcement: Announcement, members: list[Member], languages: list[str]
) -> list[AnnouncementRecipient]:
    """Queue an email in each member's language (a letter to print for those
    without email) and record who received it, and how."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "portal:deliberation_announcements", kwargs={"slug": assembly.slug}
    )
    recipients = []
    for member in members:
        language = selectors.member_language(member, languages)
        email = member.user.email
        delivery = Delivery.EMAIL if email else Delivery.LETTER
        if email:
            queue_email(
                to=email,
                template="announcement",
                language=language,
                assembly=assembly,
                user=member.user,
                context={
                    "assembly_title": assembly.title_in(language),
                    "subject": announcement.subject_in(language),
                    "body": announcement.body_in(language),
                    "url": url,
                    "contact": assembly.contact_details(),
                },
            )
        recipients.append(
            AnnouncementRecipient(
                announcement=announcement, member=member, delivery=delivery, language=language
            )
        )
    AnnouncementRecipient.objects.bulk_create(recipients)
    return recipients


@transaction.atomic
def announcement_send(
    *,
    assembly: Assembly,
    audience: str,
    subjects: Mapping[str, str],
    bodies: Mapping[str, str],
    session: Session | None = None,
    table: Any = None,
    group_key: str | None = None,
    group_id: int | None = None,
    by: Actor,
) -> Announcement:
    """Send an announcement to ``audience`` now: an email in each member's
    language through the outbox, a letter to print for those without email.

    ``Audience.GROUP`` reaches one group of a kind another app registered in
    ``audiences`` (``group_key``, e.g. "working_group", and the group's id)."""
    authorise(by, MANAGE_PROGRAMME, assembly, _("You may not send announcements in this assembly."))
    languages = selectors.assembly_languages(assembly)
    subject, body, subject_tr, body_tr = _clean_texts(languages, subjects, bodies)
    group_name = _check_audience(assembly, audience, session, table, group_key, group_id)
    members = list(
        selectors.audience_members(
            assembly,
            audience=audience,
            session=session,
            table=table,
            group_key=group_key,
            group_id=group_id,
        )
    )
    if not members:
        raise ValidationError(
            {"audience": [_("Nobody would receive this announcement: choose another group.")]}
        )
    announcement = Announcement.objects.create(
        assembly=assembly,
        audience=audience,
        session=session if audience == Audience.SESSION else None,
        group_label=(selectors.table_label(table) if audience == Audience.TABLE else (group_name or ""))[
            :200
        ],
        group_key=(group_key or "") if audience == Audience.GROUP else "",
        group_id=group_id if audience == Audience.GROUP else None,
        subject=subject,
        body=body,
        subject_translations=subject_tr,
        body_translations=body_tr,
        sent_by=acting_user(by),  # type: ignore[misc]
    )
    recipients = _deliver(assembly, announcement, members, languages)
    announcement.emails = sum(1 for r in recipients if r.delivery == Delivery.EMAIL)
    announcement.letters = len(recipients) - announcement.emails
    announcement.save(update_fields=["emails", "letters"])
    audit_record(
        action="announcement.sent",
        by=by,
        assembly=assembly,
        obj=announcement,
        data={
            "audience": audience,
            **({"group_key": group_key, "group_id": group_id} if audience == Audience.GROUP else {}),
            "emails": announcement.emails,
            "letters": announcement.letters,
        },
    )
    return announcement


@transaction.atomic
def care_update(
    *,
    assembly: Assembly,
    code_of_conduct: str,
    safeguarding_contacts: str,
    code_of_conduct_translations: Mapping[str, str] | None = None,
    by: Actor,
) -> AssemblyCare:
    authorise(by, MANAGE_ASSEMBLY, assembly, _("You may not change the code of conduct of this assembly."))
    care, _created = AssemblyCare.objects.select_for_update().get_or_create(assembly=assembly)
    care.code_of_conduct = code_of_conduct.strip()
    care.safeguarding_contacts = safeguarding_contacts.strip()
    care.code_of_conduct_translations = {
        code: text.strip() for code, text in (code_of_conduct_translations or {}).items() if text.strip()
    }
    care.save()
    audit_record(action="care.updated", by=by, assembly=assembly, obj=care)
    return care


@transaction.atomic
def concern_raise(*, member: Member, text: str, by: Actor) -> Concern:
    """A member raises a concern with the organisers; only the member
    themselves (or the system) may raise it in their name."""
    if by is not SYSTEM and getattr(by, "pk", None) != member.user_id:
        raise ValidationError(_("You can raise a concern only for yourself."))
    if member.status == MemberStatus.WITHDRAWN:
        raise ValidationError(_("You no longer take part in this assembly."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write what concerns you.")]})
    if len(text) > CONCERN_MAX:
        raise ValidationError({"text": [_("Keep it under %(n)s characters.") % {"n": CONCERN_MAX}]})
    since = timezone.now() - dt.timedelta(days=1)
    if Concern.objects.filter(member=member, raised_at__gte=since).count() >= CONCERNS_PER_DAY:
        raise ValidationError(
            _("You have sent several concerns today. If it is urgent, call one of the safeguarding contacts.")
        )
    concern = Concern.objects.create(assembly=member.assembly, member=member, text=text)
    audit_record(action="concern.raised", by=by, assembly=member.assembly, obj=concern)
    _tell_organisers(concern)
    return concern


def concern_readers(assembly: Assembly) -> list[Any]:
    """The team members who may read the assembly's concerns (asked by
    permission, as everywhere: never by role)."""
    users = {
        membership.user
        for membership in TeamMembership.objects.filter(team__organisation_id=assembly.organisation_id)
        .filter(Q(assembly=assembly) | Q(assembly__isnull=True))
        .select_related("user")
    }
    return sorted(
        (
            user
            for user in users
            if user.is_active
            and user.email
            and user.has_perm(MANAGE_ASSEMBLY, assembly)
            and user.has_perm(SEE_PERSONAL_DATA, assembly)
        ),
        key=lambda user: user.pk,
    )


def _tell_organisers(concern: Concern) -> None:
    """An email to each organiser who may read it, without what the member wrote."""
    assembly = concern.assembly
    language = selectors.assembly_languages(assembly)[0]
    url = settings.SITE_URL.rstrip("/") + reverse("admin:deliberation_concern_detail", args=[concern.pk])
    with translation.override(language):
        subject = _("A member raised a concern: %(assembly)s") % {"assembly": assembly.title}
        text = render_to_string(
            "deliberation/voice/email/concern_raised.txt", {"assembly_title": assembly.title, "url": url}
        )
    for user in concern_readers(assembly):
        queue_prerendered_email(
            to=user.email,
            subject=subject,
            text=text,
            language=language,
            template="deliberation/concern_raised",
            assembly=assembly,
            user=user,
        )


@transaction.atomic
def concern_update(*, concern: Concern, status: str, note: str, by: Actor) -> Concern:
    """Mark a concern acknowledged or closed, with a note the member reads."""
    message = _("You may not handle concerns in this assembly.")
    authorise(by, MANAGE_ASSEMBLY, concern.assembly, message)
    authorise(by, SEE_PERSONAL_DATA, concern.assembly, message)
    if status not in ConcernStatus.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    before = locked.status
    locked.status = status
    locked.note = note.strip()
    locked.handled_by = acting_user(by)  # type: ignore[assignment]
    locked.save(update_fields=["status", "note", "handled_by", "updated_at"])
    audit_record(
        action="concern.updated",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"from": before, "to": status},
    )
    concern.status, concern.note = locked.status, locked.note
    return locked
