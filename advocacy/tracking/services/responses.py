"""Institutions' responses: the response row each adopted recommendation awaits,
recording a response, and members' ratings of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, authorise, require_actor
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.selectors import membership_of
from recommendations.models import Recommendation

from ...models import Institution, Rating, Response, ResponseStatus, StatusChange
from ...rules import CARRY_FORWARD
from .common import (
    RESPONSE_FIELDS,
    Written,
    _announce,
    _change,
    _check_source,
    _choice,
    _collect,
    _text,
    _url,
    check_manage,
    check_tracked,
    default_due_on,
    parse_day,
)


def response_for(recommendation: Recommendation) -> Response:
    """The recommendation's response row (created with no response yet and its default due date)."""
    response = Response.objects.filter(recommendation=recommendation).first()
    if response is None:
        response = Response.objects.create(
            recommendation=recommendation, due_on=default_due_on(recommendation.assembly)
        )
    return response


@transaction.atomic
def ensure_responses(*, assembly: Assembly) -> int:
    """Give every adopted recommendation its response row (no response yet,
    due three months after the report), so that an institution's silence is
    counted and flagged overdue. Idempotent; returns how many were created."""
    from ..selectors import adopted

    missing = adopted(assembly).filter(response__isnull=True)
    due = default_due_on(assembly)
    created = Response.objects.bulk_create(
        [Response(recommendation=recommendation, due_on=due) for recommendation in missing]
    )
    if created:
        audit_record(
            action="advocacy.responses_awaited",
            by=SYSTEM,
            assembly=assembly,
            data={"count": len(created), "due_on": due.isoformat() if due else ""},
            object_repr=assembly.title,
        )
    return len(created)


def on_stage_change(assembly: Assembly, old: str, new: str, by: Any) -> None:
    """Stage hook: once the assembly reports, its adopted recommendations await their responses."""
    from ..selectors import PUBLIC_STAGES

    if new in PUBLIC_STAGES:
        ensure_responses(assembly=assembly)


# --- responses -------------------------------------------------------------------------
def clean_response_data(assembly: Assembly, data: Mapping[str, Any]) -> dict[str, Any]:
    """Parse and validate the response keys present in ``data``; raise one
    ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    labels = {
        "status": _("Response"),
        "responded_on": _("Date of the response"),
        "due_on": _("Response due by"),
        "source_url": _("Source document"),
        "institution": _("Institution"),
    }
    for key in data:
        if key not in RESPONSE_FIELDS:
            continue
        value = data[key]
        if key == "status":
            values[key] = _collect(errors, key, _choice, value, ResponseStatus, labels[key])
        elif key in ("responded_on", "due_on"):
            values[key] = _collect(errors, key, parse_day, value, labels[key])
        elif key == "source_url":
            values[key] = _collect(errors, key, _url, value, labels[key])
        elif key == "justification":
            values[key] = _text(value)
        elif key == "is_published":
            values[key] = bool(value)
        elif key == "institution":
            if value in (None, ""):
                values[key] = None
            elif isinstance(value, Institution):
                if value.assembly_id != assembly.pk:
                    errors.setdefault(key, []).append(_("This institution belongs to another assembly."))
                values[key] = value
            else:
                found = Institution.objects.filter(assembly=assembly, name=str(value).strip()).first()
                if found is None:
                    errors.setdefault(key, []).append(
                        _("%(field)s: no institution called “%(value)s”.")
                        % {"field": labels[key], "value": value}
                    )
                values[key] = found
    status = values.get("status")
    if (
        status
        and status != ResponseStatus.NO_RESPONSE
        and "responded_on" in values
        and not values["responded_on"]
    ):
        errors.setdefault("responded_on", []).append(_("Give the date of the response."))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def response_record(
    *, recommendation: Recommendation, data: Mapping[str, Any], by: Actor, source: str = "admin"
) -> Written[Response]:
    """Set the recommendation's response from the keys present in ``data``
    (status, responded_on, due_on, justification, source_url, institution,
    is_published); one StatusChange per field that actually changed."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    values = clean_response_data(assembly, data)
    response = response_for(recommendation)
    Response.objects.select_for_update().filter(pk=response.pk).first()
    if (
        values.get("status")
        and values["status"] != ResponseStatus.NO_RESPONSE
        and "responded_on" not in values
    ) and response.responded_on is None:
        values["responded_on"] = timezone.localdate()
    effective = values.get("responded_on") or response.responded_on or timezone.localdate()
    changes: list[StatusChange] = []
    for key, value in values.items():
        name, attribute = RESPONSE_FIELDS[key]
        old = getattr(response, attribute)
        if old == value:
            continue
        setattr(response, attribute, value)
        changes.append(
            _change(
                recommendation,
                name=name,
                old=old,
                new=value,
                effective_on=effective if key in ("status", "responded_on") else timezone.localdate(),
                by=by,
                source=source,
                evidence_url=values.get("source_url") or response.source_url,
            )
        )
    if changes:
        response.save()
        audit_record(
            action="advocacy.response_recorded",
            by=by,
            assembly=assembly,
            obj=response,
            data={"fields": [c.field for c in changes], "source": source},
            object_repr=f"{recommendation.number}. {recommendation.title}",
        )
        _announce(changes)
    return Written(response, changes)


# --- members' ratings ----------------------------------------------------------------------
@transaction.atomic
def rating_set(*, response: Response, score: Any, by: Actor) -> Rating:
    """A member rates the institution's response, 0 to 10 (a second rating replaces the first)."""
    require_actor(by)
    assembly = response.recommendation.assembly
    authorise(by, CARRY_FORWARD, assembly, _("Only members of this assembly can rate a response."))
    member: Member | None = membership_of(by, assembly)
    if member is None:
        raise ValidationError(_("Only members of this assembly can rate a response."))
    if not response.is_published or response.status == ResponseStatus.NO_RESPONSE:
        raise ValidationError(_("There is no response to rate yet."))
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 10:
        raise ValidationError({"score": [_("Choose a score from 0 to 10.")]})
    rating, _created = Rating.objects.update_or_create(
        response=response, member=member, defaults={"score": value}
    )
    audit_record(
        action="advocacy.response_rated", by=by, assembly=assembly, obj=response, data={"score": value}
    )
    return rating
