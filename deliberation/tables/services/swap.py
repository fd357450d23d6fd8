"""Adjusting a computed plan by hand: swapping two members' tables in a round."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor
from assemblies.audit import audit_record
from deliberation.models import PlanStatus, Seat, TablePlan

from .. import selectors
from .common import _check_manage, _check_not_computing, _int, _round_of
from .compute import _set_figures


# --- adjusting by hand -------------------------------------------------------------------------
def _allowed_tables(plan: TablePlan, member_id: int, round_number: int) -> set[int] | None:
    """The tables a member may sit at in a round, by pins and access needs (None: any)."""
    allowed: set[int] | None = None
    for pin in plan.pins.filter(member_id=member_id).select_related("table"):
        if pin.round in (None, round_number):
            allowed = {pin.table.number} if allowed is None else allowed & {pin.table.number}
    for need in selectors.access_rules(plan, list(plan.tables.all()), [member_id]):
        allowed = set(need.tables) if allowed is None else allowed & set(need.tables)
    return allowed


@transaction.atomic
def table_plan_swap(*, plan: TablePlan, round: Any, member_a: Any, member_b: Any, by: Actor) -> TablePlan:
    """Swap two members' tables in one round; the figures are computed again."""
    assembly = _check_manage(plan, by)
    plan = TablePlan.objects.select_for_update().select_related("session__assembly").get(pk=plan.pk)
    _check_not_computing(plan)
    if plan.status != PlanStatus.READY:
        raise ValidationError(_("Compute the plan first."))
    round_number = _round_of(plan, round)
    assert round_number is not None
    seats = {
        s.member_id: s
        for s in plan.seats.filter(
            round=round_number, member_id__in=[_int(member_a), _int(member_b)]
        ).select_related("table", "member__user")
    }
    a, b = seats.get(_int(member_a)), seats.get(_int(member_b))
    if a is None or b is None:
        raise ValidationError(_("Choose two members seated in round %(round)s.") % {"round": round_number})
    if a.table_id == b.table_id:
        raise ValidationError(_("These two members sit at the same table already."))
    for seat, other in ((a, b), (b, a)):
        allowed = _allowed_tables(plan, seat.member_id, round_number)
        if allowed is not None and other.table.number not in allowed:
            raise ValidationError(
                _("%(name)s may not sit at table %(table)s (a seat rule or an access need).")
                % {"name": selectors.member_label(seat.member), "table": other.table.number}
            )
    for seat, other in ((a, b), (b, a)):
        neighbours = set(
            plan.seats.filter(round=round_number, table=other.table)
            .exclude(member_id=other.member_id)
            .values_list("member_id", flat=True)
        )
        for pair in plan.apart.filter(member_a_id=seat.member_id) | plan.apart.filter(
            member_b_id=seat.member_id
        ):
            partner = pair.member_b_id if pair.member_a_id == seat.member_id else pair.member_a_id
            if partner in neighbours:
                raise ValidationError(
                    _("%(name)s is kept apart from someone at table %(table)s.")
                    % {"name": selectors.member_label(seat.member), "table": other.table.number}
                )
    a.table, b.table = b.table, a.table
    Seat.objects.bulk_update([a, b], ["table"])
    _set_figures(plan, selectors.explain_plan(plan))
    plan.save(update_fields=["repeated_pairs", "out_of_band", "met_mean", "updated_at"])
    audit_record(
        action="deliberation.table_plan_swapped",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"round": round_number, "members": [a.member_id, b.member_id]},
    )
    return plan
