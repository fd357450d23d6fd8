"""What organisers and facilitators record: members' extra attributes and table outputs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.rules import SEE_PERSONAL_DATA
from deliberation.models import MemberAttribute, PlanTable, TableOutput
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME

from .common import _assembly, _check_manage, _round_of


# --- organisers' own attributes -------------------------------------------------------------
@transaction.atomic
def member_attributes_set(*, assembly: Assembly, name: str, values: dict[int, str], by: Actor) -> int:
    """Set (or clear, with an empty value) one attribute for several members; returns the count set."""
    _check_manage(assembly, by)
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not record members' attributes."))
    from django.utils.text import slugify

    key = slugify(name or "")[:60]
    if not key:
        raise ValidationError({"name": _("Attribute: give it a short name, e.g. attitude.")})
    members = set(Member.objects.filter(assembly=assembly, pk__in=list(values)).values_list("pk", flat=True))
    count = 0
    for member_id, value in values.items():
        if member_id not in members:
            continue
        value = (value or "").strip()[:80]
        if value:
            MemberAttribute.objects.update_or_create(member_id=member_id, name=key, defaults={"value": value})
            count += 1
        else:
            MemberAttribute.objects.filter(member_id=member_id, name=key).delete()
    audit_record(
        action="deliberation.member_attribute_set",
        by=by,
        assembly=assembly,
        data={"attribute": key, "members": count},
    )
    return count


# --- table outputs -------------------------------------------------------------------------
@transaction.atomic
def table_output_save(
    *, table: PlanTable, round: Any, key_points: str, questions: str, proposals: str, by: Actor
) -> TableOutput:
    """What the table said in a round, by its facilitator (or an organiser)."""
    plan = table.plan
    assembly = _assembly(plan)
    authorise(by, FACILITATE, assembly, _("You may not record table outputs in this assembly."))
    if (
        by is not SYSTEM
        and table.facilitator_id != getattr(by, "pk", None)
        and not by.has_perm(MANAGE_PROGRAMME, assembly)  # type: ignore[union-attr]
    ):
        raise ValidationError(_("Only this table's facilitator records its output."))
    round_number = _round_of(plan, round)
    fields = {"key_points": key_points, "questions": questions, "proposals": proposals}
    if not any((v or "").strip() for v in fields.values()):
        raise ValidationError({"key_points": _("Key points: write at least one thing the table said.")})
    output, created = TableOutput.objects.update_or_create(
        plan=plan,
        round=round_number,
        table=table,
        defaults={**{k: (v or "").strip() for k, v in fields.items()}, "recorded_by": acting_user(by)},
    )
    audit_record(
        action="deliberation.table_output_recorded" if created else "deliberation.table_output_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"table": table.number, "round": round_number},
    )
    return output
