"""Writes of the power-literacy part: stakeholders, their stances and tactics.

The admin's add and change forms are audited by ``TenantModelAdmin``; these
services are what code (the demo, tests, screens) calls: keyword-only, one
transaction, permission checked, one audit event per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.models import Stakeholder, StakeholderStance, Stance, Tactic, TacticMethod
from advocacy.rules import MANAGE_ADVOCACY
from assemblies.actors import Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly
from recommendations.models import Recommendation


def _same_assembly(
    assembly: Assembly, recommendations: Iterable[Recommendation], field: str
) -> list[Recommendation]:
    recs = list(recommendations)
    if any(r.assembly_id != assembly.pk for r in recs):
        raise ValidationError({field: _("Choose recommendations of this assembly.")})
    return recs


@transaction.atomic
def stakeholder_save(
    *,
    assembly: Assembly,
    name: str,
    by: Actor,
    kind: str = "organisation",
    role: str = "",
    influence: int = 3,
    space: str = "closed",
    level: str = "local",
    form: str = "visible",
    internal_notes: str = "",
) -> Stakeholder:
    """Create or update (by name) a stakeholder of ``assembly``."""
    authorise(by, MANAGE_ADVOCACY, assembly)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the stakeholder's name.")})
    if not 1 <= int(influence) <= 5:
        raise ValidationError({"influence": _("Influence goes from 1 to 5.")})
    stakeholder, created = Stakeholder.objects.update_or_create(
        assembly=assembly,
        name=name,
        defaults={
            "kind": kind,
            "role": role,
            "influence": int(influence),
            "space": space,
            "level": level,
            "form": form,
            "internal_notes": internal_notes,
        },
    )
    stakeholder.full_clean()
    audit_record(
        action="advocacy.stakeholder_added" if created else "advocacy.stakeholder_changed",
        by=acting_user(by),
        assembly=assembly,
        obj=stakeholder,
        data={"influence": stakeholder.influence, "space": space, "level": level, "form": form},
    )
    return stakeholder


@transaction.atomic
def stance_set(
    *, stakeholder: Stakeholder, recommendation: Recommendation, stance: str, by: Actor
) -> StakeholderStance:
    """Record where ``stakeholder`` stands on ``recommendation``."""
    assembly = stakeholder.assembly
    authorise(by, MANAGE_ADVOCACY, assembly)
    if recommendation.assembly_id != assembly.pk:
        raise ValidationError({"recommendation": _("Choose a recommendation of this assembly.")})
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose a stance: champion, ally, neutral, opponent or unknown.")})
    row, _created = StakeholderStance.objects.select_for_update().get_or_create(
        stakeholder=stakeholder, recommendation=recommendation, defaults={"stance": stance}
    )
    old = row.stance if not _created else ""
    if row.stance != stance:
        row.stance = stance
        row.save(update_fields=["stance"])
    if old != stance:
        audit_record(
            action="advocacy.stance_set",
            by=acting_user(by),
            assembly=assembly,
            obj=stakeholder,
            data={"recommendation": recommendation.number, "old": old, "new": stance},
        )
    return row


@transaction.atomic
def tactic_save(
    *,
    assembly: Assembly,
    title: str,
    method: str,
    by: Actor,
    recommendations: Iterable[Recommendation] = (),
    target: Stakeholder | None = None,
    owner: Any = None,
    owner_name: str = "",
    status: str = "planned",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    outcome: str = "",
    internal_notes: str = "",
) -> Tactic:
    """Create or update (by title) a tactic of ``assembly``."""
    authorise(by, MANAGE_ADVOCACY, assembly)
    if method not in TacticMethod.values:
        raise ValidationError({"method": _("Choose a method from the list.")})
    if target is not None and target.assembly_id != assembly.pk:
        raise ValidationError({"target": _("Choose a stakeholder of this assembly.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    recs = _same_assembly(assembly, recommendations, "recommendations")
    tactic = Tactic.objects.filter(assembly=assembly, title=title).first() or Tactic(
        assembly=assembly, title=title
    )
    created = tactic.pk is None
    for field, value in {
        "method": method,
        "target": target,
        "owner": owner,
        "owner_name": owner_name,
        "status": status,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "outcome": outcome,
        "internal_notes": internal_notes,
    }.items():
        setattr(tactic, field, value)
    tactic.save()
    tactic.recommendations.set(recs)
    audit_record(
        action="advocacy.tactic_added" if created else "advocacy.tactic_changed",
        by=acting_user(by),
        assembly=assembly,
        obj=tactic,
        data={"method": method, "kind": tactic.kind, "recommendations": [r.number for r in recs]},
    )
    return tactic
