"""Institutions' own entries: a private link, the entry made through it (kept
pending), and the organisers accepting or discarding it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, require_actor
from assemblies.audit import audit_record

from ...models import InstitutionLink, Response, ResponseStatus
from .common import Written, _as_text, check_manage
from .responses import clean_response_data, response_record

#: How long an institution's private link stays valid.
LINK_DAYS = 30


# --- institutions' own entries ------------------------------------------------------------
@transaction.atomic
def institution_link_create(
    *, response: Response, email: str = "", by: Actor, days: int = LINK_DAYS, send: bool = True
) -> InstitutionLink:
    """A private link for the institution to enter its response; emailed through the outbox."""
    require_actor(by)
    assembly = response.recommendation.assembly
    check_manage(by, assembly)
    email = (email or (response.institution.contact_email if response.institution else "")).strip()
    if send and not email:
        raise ValidationError(
            {"email": [_("Give the institution's email address (or set its contact email).")]}
        )
    link = InstitutionLink.objects.create(
        response=response,
        email=email,
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=acting_user(by),  # type: ignore[misc]
    )
    audit_record(
        action="advocacy.institution_link_sent", by=by, assembly=assembly, obj=response, data={"email": email}
    )
    if send:
        from django.conf import settings
        from django.urls import reverse

        from notifications.services import queue_email

        recommendation = response.recommendation
        queue_email(
            to=email,
            template="advocacy_institution_link",
            context={
                "assembly_title": assembly.title,
                "number": recommendation.number,
                "title": recommendation.title,
                "url": settings.SITE_URL + reverse("advocacy:respond", args=[link.token]),
                "expires": timezone.localtime(link.expires_at).date().isoformat(),
            },
            language=assembly.languages[0] if assembly.languages else "en",
            assembly=assembly,
        )
    return link


def link_state(link: InstitutionLink | None) -> str:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= timezone.now():
        return "expired"
    return "open"


@transaction.atomic
def institution_submit(*, token: str, data: Mapping[str, Any]) -> Response:
    """The institution's entry through its link: validated, kept as pending
    (nothing public changes), and the link is used up."""
    link = InstitutionLink.objects.select_for_update().filter(token=token).select_related("response").first()
    state = link_state(link)
    if state != "open" or link is None:
        raise ValidationError(
            _("This link has expired or has already been used. Ask the organisers for a new one."), code=state
        )
    response = link.response
    assembly = response.recommendation.assembly
    keys = ("status", "responded_on", "justification", "source_url")
    values = clean_response_data(assembly, {key: data.get(key, "") for key in keys})
    if values.get("status") == ResponseStatus.NO_RESPONSE:
        raise ValidationError({"status": [_("Choose your response.")]})
    response.pending = {key: _as_text(values.get(key)) for key in keys} | {
        "submitted_at": timezone.now().isoformat(),
        "link": link.pk,
    }
    response.save(update_fields=["pending", "updated_at"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit_record(action="advocacy.institution_submitted", by=SYSTEM, assembly=assembly, obj=response)
    return response


@transaction.atomic
def pending_accept(*, response: Response, by: Actor) -> Written[Response]:
    """Publish an institution's pending entry as the response (source "institution")."""
    require_actor(by)
    check_manage(by, response.recommendation.assembly)
    pending = dict(response.pending or {})
    if not pending:
        raise ValidationError(_("There is no entry from the institution to review."))
    data = {key: pending.get(key, "") for key in ("status", "responded_on", "justification", "source_url")}
    data["is_published"] = True
    written = response_record(recommendation=response.recommendation, data=data, by=by, source="institution")
    written.object.pending = {}
    written.object.save(update_fields=["pending", "updated_at"])
    return written


@transaction.atomic
def pending_discard(*, response: Response, by: Actor) -> None:
    require_actor(by)
    check_manage(by, response.recommendation.assembly)
    if not response.pending:
        raise ValidationError(_("There is no entry from the institution to review."))
    response.pending = {}
    response.save(update_fields=["pending", "updated_at"])
    audit_record(
        action="advocacy.institution_entry_discarded",
        by=by,
        assembly=response.recommendation.assembly,
        obj=response,
    )
