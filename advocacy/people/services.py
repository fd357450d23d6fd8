"""Writes of the people part: spokespeople and the requests sent to them,
affiliates (signed by organisers or through the public form), their reports,
and media items. Keyword-only, one transaction, permission checked, audited;
emails go through the outbox."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from advocacy.models import (
    Affiliate,
    AffiliateReport,
    AffiliateStatus,
    InviteStatus,
    MediaInvite,
    MediaItem,
    MediaRequest,
    Medium,
    RequestKind,
    Sector,
    Spokesperson,
    Tactic,
    Tone,
)
from advocacy.rules import CARRY_FORWARD, MANAGE_ADVOCACY
from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, Stage
from deliberation.voice.selectors import member_language
from notifications.services import queue_email
from recommendations.models import Recommendation

#: Affiliates are asked what they did at most once in this many days.
REMINDER_DAYS = getattr(settings, "ADVOCACY_AFFILIATE_REMINDER_DAYS", 90)
FOLLOW_UP_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP)


def _url(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _recs(
    assembly: Assembly, recommendations: Iterable[Recommendation], field: str = "recommendations"
) -> list[Recommendation]:
    recs = list(recommendations)
    if any(r.assembly_id != assembly.pk for r in recs):
        raise ValidationError({field: _("Choose recommendations of this assembly.")})
    return recs


def _language(assembly: Assembly) -> str:
    languages = list(assembly.languages or ["en"])
    return languages[0]


# --- spokespeople -------------------------------------------------------------------------
@transaction.atomic
def spokesperson_opt_in(
    *,
    member: Member,
    recommendations: Iterable[Recommendation],
    media: Iterable[str],
    is_available: bool = True,
    by: Actor,
) -> Spokesperson:
    """A member says they are ready to speak, on which recommendations and in which media."""
    assembly = member.assembly
    if by is not SYSTEM and getattr(by, "pk", None) != member.user_id:
        raise PermissionDenied(_("Only the member can say this."))
    authorise(by, CARRY_FORWARD, assembly)
    media = [m for m in dict.fromkeys(media)]
    unknown = [m for m in media if m not in Medium.values]
    if unknown:
        raise ValidationError({"media": _("Choose media from the list.")})
    recs = _recs(assembly, recommendations)
    if is_available and not media:
        raise ValidationError({"media": _("Choose at least one kind of media you are ready for.")})
    spokesperson, created = Spokesperson.objects.get_or_create(member=member)
    spokesperson.media = media
    spokesperson.is_available = is_available
    spokesperson.save()
    spokesperson.recommendations.set(recs)
    audit_record(
        action="advocacy.spokesperson_opted_in" if created else "advocacy.spokesperson_changed",
        by=acting_user(by),
        assembly=assembly,
        obj=spokesperson,
        data={"media": media, "recommendations": [r.number for r in recs], "available": is_available},
    )
    return spokesperson


@transaction.atomic
def spokesperson_record_training(
    *, spokesperson: Spokesperson, done_on: dt.date | None, notes: str = "", by: Actor
) -> Spokesperson:
    assembly = spokesperson.member.assembly
    authorise(by, MANAGE_ADVOCACY, assembly)
    spokesperson.training_done_on = done_on
    spokesperson.training_notes = notes
    spokesperson.save(update_fields=["training_done_on", "training_notes", "updated_at"])
    audit_record(
        action="advocacy.spokesperson_trained",
        by=acting_user(by),
        assembly=assembly,
        obj=spokesperson,
        data={"done_on": done_on.isoformat() if done_on else None},
    )
    return spokesperson


# --- media requests and speaking invitations ------------------------------------------------------
@transaction.atomic
def media_request_send(
    *,
    assembly: Assembly,
    title: str,
    spokespeople: Iterable[Spokesperson],
    by: Actor,
    kind: str = RequestKind.MEDIA,
    outlet: str = "",
    medium: str = "",
    starts_at: dt.datetime | None = None,
    place: str = "",
    details: str = "",
    recommendations: Iterable[Recommendation] = (),
) -> MediaRequest:
    """Send a media request or a speaking invitation to chosen spokespeople:
    each finds it in the portal and gets an email through the outbox."""
    authorise(by, MANAGE_ADVOCACY, assembly)
    if not title.strip():
        raise ValidationError({"title": _("Say what the request is.")})
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose a media request or a speaking invitation.")})
    if medium and medium not in Medium.values:
        raise ValidationError({"medium": _("Choose a medium from the list.")})
    people = list(spokespeople)
    if not people:
        raise ValidationError({"spokespeople": _("Choose at least one spokesperson.")})
    if any(p.member.assembly_id != assembly.pk for p in people):
        raise ValidationError({"spokespeople": _("Choose spokespeople of this assembly.")})
    recs = _recs(assembly, recommendations)
    request = MediaRequest.objects.create(
        assembly=assembly,
        kind=kind,
        title=title.strip(),
        outlet=outlet,
        medium=medium,
        starts_at=starts_at,
        place=place,
        details=details,
        created_by=acting_user(by),  # type: ignore[misc]
    )
    request.recommendations.set(recs)
    url = _url("portal:advocacy_request", slug=assembly.slug, pk=request.pk)
    when = date_format(timezone.localtime(starts_at), "DATETIME_FORMAT") if starts_at else ""
    for person in people:
        MediaInvite.objects.create(request=request, spokesperson=person)
        email = person.member.user.email
        if email:
            queue_email(
                to=email,
                template="advocacy_request",
                language=member_language(person.member, list(assembly.languages or ["en"])),
                assembly=assembly,
                user=person.member.user,
                context={
                    "assembly_title": assembly.title,
                    "kind": kind,
                    "title": request.title,
                    "outlet": outlet,
                    "when": when,
                    "place": place,
                    "url": url,
                },
            )
    audit_record(
        action="advocacy.media_request_sent",
        by=acting_user(by),
        assembly=assembly,
        obj=request,
        data={"kind": kind, "spokespeople": [p.pk for p in people]},
    )
    return request


@transaction.atomic
def invite_answer(*, invite: MediaInvite, accept: bool, by: Actor) -> MediaInvite:
    """The spokesperson accepts or declines (and may change their mind)."""
    member = invite.spokesperson.member
    if getattr(by, "pk", None) != member.user_id:
        raise PermissionDenied(_("Only the member it was sent to can answer."))
    authorise(by, CARRY_FORWARD, member.assembly)
    invite = MediaInvite.objects.select_for_update().get(pk=invite.pk)
    invite.status = InviteStatus.ACCEPTED if accept else InviteStatus.DECLINED
    invite.answered_at = timezone.now()
    invite.save(update_fields=["status", "answered_at"])
    audit_record(
        action="advocacy.media_request_answered",
        by=acting_user(by),
        assembly=member.assembly,
        obj=invite.request,
        data={"invite": invite.pk, "status": invite.status},
    )
    return invite


# --- affiliates ----------------------------------------------------------------------------
def _check_affiliate(name: str, commitment: str, sector: str, recs: list[Recommendation]) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give your name or your organisation's.")
    if not commitment.strip():
        errors["commitment"] = _("Say what you commit to do.")
    if sector not in Sector.values:
        errors["sector"] = _("Choose a sector from the list.")
    if not recs:
        errors["recommendations"] = _("Choose at least one recommendation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def affiliate_add(
    *,
    assembly: Assembly,
    name: str,
    commitment: str,
    recommendations: Iterable[Recommendation],
    by: Actor,
    organisation: str = "",
    sector: str = Sector.CIVIL_SOCIETY,
    email: str = "",
    website: str = "",
    signed_on: dt.date | None = None,
) -> Affiliate:
    """An organiser records a signed commitment (create or update by name)."""
    authorise(by, MANAGE_ADVOCACY, assembly)
    recs = _recs(assembly, recommendations)
    _check_affiliate(name, commitment, sector, recs)
    affiliate, created = Affiliate.objects.update_or_create(
        assembly=assembly,
        name=name.strip(),
        defaults={
            "organisation": organisation,
            "sector": sector,
            "email": email,
            "website": website,
            "commitment": commitment.strip(),
            "status": AffiliateStatus.CONFIRMED,
            "signed_on": signed_on or timezone.localdate(),
        },
    )
    if not affiliate.report_token:
        affiliate.report_token = secrets.token_urlsafe(24)
        affiliate.save(update_fields=["report_token"])
    affiliate.recommendations.set(recs)
    audit_record(
        action="advocacy.affiliate_added" if created else "advocacy.affiliate_changed",
        by=acting_user(by),
        assembly=assembly,
        obj=affiliate,
        data={"sector": sector, "recommendations": [r.number for r in recs]},
    )
    return affiliate


@transaction.atomic
def affiliate_sign(
    *,
    assembly: Assembly,
    name: str,
    email: str,
    commitment: str,
    recommendations: Iterable[Recommendation],
    organisation: str = "",
    sector: str = Sector.CIVIL_SOCIETY,
    website: str = "",
) -> Affiliate:
    """The public form: the commitment waits until the email address is confirmed."""
    recs = _recs(assembly, recommendations)
    _check_affiliate(name, commitment, sector, recs)
    if not email:
        raise ValidationError({"email": _("Give an email address: we send you a link to confirm.")})
    if Affiliate.objects.filter(assembly=assembly, name=name.strip()).exists():
        raise ValidationError(
            {"name": _("Someone with this name has already signed. Add your organisation's name.")}
        )
    affiliate = Affiliate.objects.create(
        assembly=assembly,
        name=name.strip(),
        organisation=organisation,
        sector=sector,
        email=email,
        website=website,
        commitment=commitment.strip(),
        status=AffiliateStatus.UNCONFIRMED,
        confirm_token=secrets.token_urlsafe(24),
    )
    affiliate.recommendations.set(recs)
    queue_email(
        to=email,
        template="advocacy_request_affiliate_confirm",
        language=_language(assembly),
        assembly=assembly,
        context={
            "assembly_title": assembly.title,
            "name": affiliate.name,
            "url": _url("advocacy:affiliate_confirm", slug=assembly.slug, token=affiliate.confirm_token),
        },
    )
    audit_record(
        action="advocacy.affiliate_signed", by=None, assembly=assembly, obj=affiliate, data={"sector": sector}
    )
    return affiliate


@transaction.atomic
def affiliate_confirm(*, assembly: Assembly, token: str) -> Affiliate | None:
    """The link in the confirmation email: the commitment becomes public."""
    if not token:
        return None
    affiliate = Affiliate.objects.select_for_update().filter(assembly=assembly, confirm_token=token).first()
    if affiliate is None:
        return None
    if affiliate.status == AffiliateStatus.UNCONFIRMED:
        affiliate.status = AffiliateStatus.CONFIRMED
        affiliate.signed_on = timezone.localdate()
        affiliate.report_token = affiliate.report_token or secrets.token_urlsafe(24)
        affiliate.save(update_fields=["status", "signed_on", "report_token"])
        audit_record(action="advocacy.affiliate_confirmed", by=None, assembly=assembly, obj=affiliate)
    return affiliate


@transaction.atomic
def affiliate_report(*, affiliate: Affiliate, text: str, url: str = "") -> AffiliateReport:
    """What an affiliate did, through their private link."""
    if affiliate.status != AffiliateStatus.CONFIRMED:
        raise ValidationError(_("This commitment is not signed."))
    if not text.strip():
        raise ValidationError({"text": _("Say what you did.")})
    report = AffiliateReport.objects.create(affiliate=affiliate, text=text.strip(), url=url)
    audit_record(action="advocacy.affiliate_reported", by=None, assembly=affiliate.assembly, obj=affiliate)
    return report


def affiliates_remind(*, now: dt.datetime | None = None) -> int:
    """Ask each signed affiliate of an assembly in follow-up what they did,
    at most once per ``REMINDER_DAYS`` (each in its own transaction, so that
    two workers never send the same reminder twice)."""
    now = now or timezone.now()
    due_before = now - dt.timedelta(days=REMINDER_DAYS)
    candidates = (
        Affiliate.objects.filter(status=AffiliateStatus.CONFIRMED, assembly__stage__in=FOLLOW_UP_STAGES)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            affiliate = Affiliate.objects.select_for_update().select_related("assembly").filter(pk=pk).first()
            if affiliate is None:
                continue
            # The first reminder comes one period after signing.
            since = affiliate.last_reminded_at or (
                timezone.make_aware(dt.datetime.combine(affiliate.signed_on, dt.time()))
                if affiliate.signed_on
                else affiliate.created_at
            )
            if since > due_before:
                continue
            assembly = affiliate.assembly
            if not affiliate.report_token:
                affiliate.report_token = secrets.token_urlsafe(24)
            affiliate.last_reminded_at = now
            affiliate.save(update_fields=["last_reminded_at", "report_token"])
            queue_email(
                to=affiliate.email,
                template="advocacy_request_affiliate_report",
                language=_language(assembly),
                assembly=assembly,
                context={
                    "assembly_title": assembly.title,
                    "name": affiliate.name,
                    "url": _url(
                        "advocacy:affiliate_report", slug=assembly.slug, token=affiliate.report_token
                    ),
                },
            )
            audit_record(action="advocacy.affiliate_reminded", by=None, assembly=assembly, obj=affiliate)
            sent += 1
    return sent


# --- media items ---------------------------------------------------------------------------
@transaction.atomic
def media_item_save(
    *,
    assembly: Assembly,
    title: str,
    outlet: str,
    published_on: dt.date,
    by: Actor,
    url: str = "",
    reach: int | None = None,
    tone: str = Tone.NEUTRAL,
    recommendations: Iterable[Recommendation] = (),
    tactics: Iterable[Tactic] = (),
    is_public: bool = True,
    internal_notes: str = "",
) -> MediaItem:
    """Record (or update, by title and outlet) a piece of coverage."""
    authorise(by, MANAGE_ADVOCACY, assembly)
    if tone not in Tone.values:
        raise ValidationError({"tone": _("Choose a tone: positive, neutral or negative.")})
    if reach is not None and reach < 0:
        raise ValidationError({"reach": _("Reach cannot be negative.")})
    recs = _recs(assembly, recommendations)
    tactic_list = list(tactics)
    if any(t.assembly_id != assembly.pk for t in tactic_list):
        raise ValidationError({"tactics": _("Choose tactics of this assembly.")})
    item, created = MediaItem.objects.update_or_create(
        assembly=assembly,
        title=title,
        outlet=outlet,
        defaults={
            "url": url,
            "published_on": published_on,
            "reach": reach,
            "tone": tone,
            "is_public": is_public,
            "internal_notes": internal_notes,
        },
    )
    item.recommendations.set(recs)
    item.tactics.set(tactic_list)
    audit_record(
        action="advocacy.media_item_added" if created else "advocacy.media_item_changed",
        by=acting_user(by),
        assembly=assembly,
        obj=item,
        data={"tone": tone, "reach": reach},
    )
    return item
