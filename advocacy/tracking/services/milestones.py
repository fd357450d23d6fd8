"""Implementation: dated milestones, the tracker's notes and implementation
status, and impact tags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, require_actor
from assemblies.audit import audit_record
from recommendations.models import Recommendation

from ...models import (
    ImpactArea,
    ImpactTag,
    ImpactType,
    ImplementationStatus,
    Milestone,
    MilestoneKind,
    StatusChange,
    Tracking,
)
from .common import (
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
    parse_day,
)


def tracking_for(recommendation: Recommendation) -> Tracking:
    tracking, _created = Tracking.objects.get_or_create(recommendation=recommendation)
    return tracking


# --- milestones and tracking ------------------------------------------------------------
def clean_milestone_data(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    values["date"] = _collect(errors, "date", parse_day, data.get("date"), _("Date"))
    if values["date"] is None and "date" not in errors:
        errors["date"] = [_("Give the date of the milestone.")]
    values["title"] = _text(data.get("title"))[:300]
    if not values["title"]:
        errors["title"] = [_("Say what happened.")]
    values["kind"] = _collect(errors, "kind", _choice, data.get("kind") or "other", MilestoneKind, _("Kind"))
    values["status"] = _collect(
        errors, "status", _choice, data.get("status"), ImplementationStatus, _("Implementation status")
    )
    values["evidence_url"] = _collect(errors, "evidence_url", _url, data.get("evidence_url"), _("Evidence"))
    values["enacted_text"] = _text(data.get("enacted_text"))
    if values["enacted_text"] and values["status"] != ImplementationStatus.IMPLEMENTED_WEAKER:
        errors.setdefault("enacted_text", []).append(
            _("What was enacted is recorded only for a recommendation implemented in a weaker form.")
        )
    if errors:
        raise ValidationError(errors)
    return values


def _set_status(
    recommendation: Recommendation,
    tracking: Tracking,
    status: str,
    *,
    effective_on: dt.date,
    by: Actor,
    source: str,
    evidence_url: str = "",
) -> StatusChange | None:
    """Record an implementation status effective on a date. The current status
    only follows when the date is not earlier than the latest recorded one."""
    history = StatusChange.objects.filter(recommendation=recommendation, field="implementation_status")
    before = (
        history.filter(effective_on__lte=effective_on).order_by("effective_on", "recorded_at", "id").last()
    )
    old = before.new if before else ImplementationStatus.NOT_STARTED
    if old == status:
        return None
    change = _change(
        recommendation,
        name="implementation_status",
        old=old,
        new=status,
        effective_on=effective_on,
        by=by,
        source=source,
        evidence_url=evidence_url,
    )
    if not history.filter(effective_on__gt=effective_on).exists():
        tracking.implementation_status = status
        tracking.save(update_fields=["implementation_status", "updated_at"])
    return change


@transaction.atomic
def milestone_add(
    *, recommendation: Recommendation, data: Mapping[str, Any], by: Actor, source: str = "admin"
) -> Written[Milestone]:
    """Add a dated milestone (date, title, kind, status, evidence_url,
    enacted_text); it records a "milestone" history entry and, when its status
    differs, the change of implementation status effective on its date."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    values = clean_milestone_data(data)
    tracking = tracking_for(recommendation)
    Tracking.objects.select_for_update().filter(pk=tracking.pk).first()
    milestone = Milestone.objects.create(recommendation=recommendation, created_by=acting_user(by), **values)  # type: ignore[misc]
    changes = [
        _change(
            recommendation,
            name="milestone",
            old="",
            new=milestone.title,
            effective_on=milestone.date,
            by=by,
            source=source,
            evidence_url=milestone.evidence_url,
        )
    ]
    status_change = _set_status(
        recommendation,
        tracking,
        milestone.status,
        effective_on=milestone.date,
        by=by,
        source=source,
        evidence_url=milestone.evidence_url,
    )
    if status_change:
        changes.append(status_change)
    audit_record(
        action="advocacy.milestone_added",
        by=by,
        assembly=assembly,
        obj=milestone,
        data={"status": milestone.status, "source": source},
    )
    _announce(changes)
    return Written(milestone, changes)


@transaction.atomic
def tracking_update(
    *,
    recommendation: Recommendation,
    notes: str | None = None,
    implementation_status: str | None = None,
    by: Actor,
    source: str,
    effective_on: dt.date | None = None,
    evidence_url: str = "",
) -> Written[Tracking]:
    """Change the tracker's notes and/or implementation status (None leaves it as it is)."""
    require_actor(by)
    _check_source(source)
    assembly = recommendation.assembly
    check_manage(by, assembly)
    check_tracked(recommendation)
    status = None
    if implementation_status is not None:
        status = _choice(implementation_status, ImplementationStatus, _("Implementation status"))
    evidence_url = _url(evidence_url, _("Evidence"))
    tracking = tracking_for(recommendation)
    Tracking.objects.select_for_update().filter(pk=tracking.pk).first()
    tracking.refresh_from_db()
    today = timezone.localdate()
    changes: list[StatusChange] = []
    if notes is not None and _text(notes) != tracking.notes:
        changes.append(
            _change(
                recommendation, name="notes", old=tracking.notes, new=_text(notes), effective_on=today,
                by=by, source=source,
            )
        )  # fmt: skip
        tracking.notes = _text(notes)
        tracking.save(update_fields=["notes", "updated_at"])
    if status is not None:
        change = _set_status(
            recommendation,
            tracking,
            status,
            effective_on=effective_on or today,
            by=by,
            source=source,
            evidence_url=evidence_url,
        )
        if change:
            changes.append(change)
    if changes:
        audit_record(
            action="advocacy.tracking_updated",
            by=by,
            assembly=assembly,
            obj=tracking,
            data={"fields": [c.field for c in changes], "source": source},
            object_repr=f"{recommendation.number}. {recommendation.title}",
        )
        _announce(changes)
    return Written(tracking, changes)


# --- impact tags -----------------------------------------------------------------------
@transaction.atomic
def impact_tag_add(
    *,
    recommendation: Recommendation,
    area: str,
    kind: str,
    description: str = "",
    milestone: Milestone | None = None,
    by: Actor,
) -> ImpactTag:
    require_actor(by)
    check_manage(by, recommendation.assembly)
    errors: dict[str, list[str]] = {}
    area = _collect(errors, "area", _choice, area, ImpactArea, _("Area"))
    kind = _collect(errors, "kind", _choice, kind, ImpactType, _("Type"))
    if milestone is not None and milestone.recommendation_id != recommendation.pk:
        errors["milestone"] = [_("This milestone belongs to another recommendation.")]
    if errors:
        raise ValidationError(errors)
    tag = ImpactTag.objects.create(
        recommendation=recommendation,
        milestone=milestone,
        area=area,
        kind=kind,
        description=_text(description)[:300],
    )
    audit_record(action="advocacy.impact_tagged", by=by, assembly=recommendation.assembly, obj=tag)
    return tag
