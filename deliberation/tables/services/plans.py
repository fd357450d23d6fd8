"""A plan and its settings, its tables and its seat rules (pins, pairs kept apart)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor
from assemblies.audit import audit_record
from assemblies.models import Assembly
from deliberation.models import KeptApart, PlanTable, Session, TablePin, TablePlan

from .. import selectors
from .common import (
    MAX_ROUNDS,
    MAX_TABLES,
    _check_manage,
    _check_not_computing,
    _clear_seats,
    _int,
    _member_of,
    _round_of,
    _sync_tables,
    _table_of,
)


# --- a plan and its settings -----------------------------------------------------------
def _validate_settings(
    assembly: Assembly, rounds: Any, table_count: Any, mix: Sequence[str], seed: Any
) -> tuple[int, int, list[str], int]:
    errors: dict[str, str] = {}
    try:
        rounds = int(rounds)
        if not 1 <= rounds <= MAX_ROUNDS:
            raise ValueError
    except (TypeError, ValueError):
        errors["rounds"] = _("Rounds: give a whole number from 1 to %(n)s.") % {"n": MAX_ROUNDS}
    try:
        table_count = int(table_count)
        if not 1 <= table_count <= MAX_TABLES:
            raise ValueError
    except (TypeError, ValueError):
        errors["table_count"] = _("Number of tables: give a whole number from 1 to %(n)s.") % {
            "n": MAX_TABLES
        }
    try:
        seed = int(seed if seed not in (None, "") else 1)
        if seed < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["seed"] = _("Seed: give a whole number, 0 or more.")
    known = {key for key, _label in selectors.attribute_choices(assembly)}
    unknown = [key for key in mix if key not in known]
    if unknown:
        errors["mix"] = _("Attributes to mix: %(keys)s is not an attribute of this assembly.") % {
            "keys": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    return rounds, table_count, list(dict.fromkeys(mix)), seed


@transaction.atomic
def table_plan_create(
    *,
    session: Session,
    rounds: Any = 3,
    table_count: Any = 4,
    mix: Sequence[str] = (),
    seed: Any = 1,
    by: Actor,
) -> TablePlan:
    """The session's table plan (one per session); its tables are numbered 1..n."""
    assembly = _check_manage(session.assembly, by)
    if TablePlan.objects.filter(session=session).exists():
        raise ValidationError(_("This session has a table plan already."))
    rounds, table_count, mix, seed = _validate_settings(assembly, rounds, table_count, mix, seed)
    plan = TablePlan.objects.create(
        session=session, rounds=rounds, table_count=table_count, mix=mix, seed=seed
    )
    _sync_tables(plan)
    audit_record(
        action="deliberation.table_plan_created",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"session": session.pk, "rounds": rounds, "tables": table_count, "mix": mix},
    )
    return plan


@transaction.atomic
def table_plan_update(
    *, plan: TablePlan, rounds: Any, table_count: Any, mix: Sequence[str], seed: Any, by: Actor
) -> TablePlan:
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    rounds, table_count, mix, seed = _validate_settings(assembly, rounds, table_count, mix, seed)
    changed = (rounds, table_count, mix, seed) != (plan.rounds, plan.table_count, plan.mix, plan.seed)
    if not changed:
        return plan
    plan.rounds, plan.table_count, plan.mix, plan.seed = rounds, table_count, mix, seed
    plan.save(update_fields=["rounds", "table_count", "mix", "seed", "updated_at"])
    _sync_tables(plan)
    plan.pins.filter(round__gt=rounds).delete()
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_plan_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"rounds": rounds, "tables": table_count, "mix": mix, "seed": seed},
    )
    return plan


@transaction.atomic
def table_update(
    *, plan: TablePlan, number: Any, name: str, facilitator_id: Any, step_free: bool, language: str, by: Actor
) -> PlanTable:
    """A table's name, facilitator, step-free access and interpreted language."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    table = _table_of(plan, number)
    label = _("Table %(number)s") % {"number": table.number}
    facilitator = None
    if facilitator_id not in (None, ""):
        candidates = {str(u.pk): u for u in selectors.facilitator_candidates(assembly)}
        facilitator = candidates.get(str(facilitator_id))
        if facilitator is None:
            raise ValidationError(
                _("%(table)s: the facilitator must be a team member who facilitates in this assembly.")
                % {"table": label}
            )
    name, language = (name or "").strip()[:80], (language or "").strip()[:80]
    access_changed = (bool(step_free), language.casefold()) != (table.step_free, table.language.casefold())
    table.name, table.facilitator, table.step_free, table.language = (
        name,
        facilitator,
        bool(step_free),
        language,
    )
    table.save()
    if access_changed:
        _clear_seats(plan)
    audit_record(
        action="deliberation.table_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={
            "table": table.number,
            "facilitator": getattr(facilitator, "pk", None),
            "step_free": table.step_free,
        },
    )
    return table


@transaction.atomic
def pin_add(*, plan: TablePlan, member_id: Any, table_number: Any, round: Any = None, by: Actor) -> TablePin:
    """Seat a member only at one table: every round, or one round."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    member = _member_of(assembly, member_id, _("Member"))
    table = _table_of(plan, table_number)
    round_number = _round_of(plan, round, required=False)
    pin = TablePin.objects.create(plan=plan, member=member, table=table, round=round_number)
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_pin_added",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"member": member.pk, "table": table.number, "round": round_number},
    )
    return pin


@transaction.atomic
def apart_add(*, plan: TablePlan, member_a: Any, member_b: Any, by: Actor) -> KeptApart:
    """Two members who must never share a table."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    a = _member_of(assembly, member_a, _("First member"))
    b = _member_of(assembly, member_b, _("Second member"))
    if a.pk == b.pk:
        raise ValidationError(_("Second member: choose someone other than the first member."))
    a, b = sorted((a, b), key=lambda m: m.pk)
    pair, created = KeptApart.objects.get_or_create(plan=plan, member_a=a, member_b=b)
    if created:
        _clear_seats(plan)
        audit_record(
            action="deliberation.table_apart_added",
            by=by,
            assembly=assembly,
            obj=plan,
            data={"pair": [a.pk, b.pk]},
        )
    return pair


@transaction.atomic
def rule_remove(*, plan: TablePlan, pin_id: Any = None, apart_id: Any = None, by: Actor) -> None:
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    removed = 0
    if pin_id not in (None, ""):
        removed, _rows = plan.pins.filter(pk=_int(pin_id)).delete()
    elif apart_id not in (None, ""):
        removed, _rows = plan.apart.filter(pk=_int(apart_id)).delete()
    if not removed:
        raise ValidationError(_("That rule was removed already."))
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_rule_removed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"pin": pin_id, "apart": apart_id},
    )
