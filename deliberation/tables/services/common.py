"""What every workflow of table plans shares: limits, the permission check,
looking up a member, a table or a round of the plan, and making a plan a draft again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.models import Assembly, Member
from deliberation.models import PlanStatus, PlanTable, TablePlan
from deliberation.rules import MANAGE_PROGRAMME

#: The kind of job that computes a plan (registered in ``deliberation.tables.plugin``).
PLAN_JOB = "deliberation.table_plan"
#: Seconds the engine may search (a last resort: its work is bounded by proposals).
DEFAULT_TIME_LIMIT = 30
#: Progress is written to the job at most this often (seconds).
PROGRESS_EVERY = 1.0
MAX_ROUNDS = 20
MAX_TABLES = 200


def _time_limit() -> int:
    return int(getattr(settings, "TABLE_PLAN_TIME_LIMIT", DEFAULT_TIME_LIMIT) or DEFAULT_TIME_LIMIT)


def _assembly(plan: TablePlan) -> Assembly:
    return plan.session.assembly


def _check_manage(plan_or_assembly: TablePlan | Assembly, by: Actor) -> Assembly:
    assembly = plan_or_assembly if isinstance(plan_or_assembly, Assembly) else _assembly(plan_or_assembly)
    authorise(by, MANAGE_PROGRAMME, assembly, _("You may not change the table plans of this assembly."))
    return assembly


def _check_not_computing(plan: TablePlan) -> None:
    if plan.status == PlanStatus.COMPUTING:
        raise ValidationError(_("The plan is being computed; wait until it is done, then try again."))


def _member_of(assembly: Assembly, member_id: Any, field: str) -> Member:
    try:
        return Member.objects.select_related("user").get(assembly=assembly, pk=int(member_id))
    except (TypeError, ValueError, Member.DoesNotExist):
        raise ValidationError(_("%(field)s: choose a member of this assembly.") % {"field": field}) from None


def _table_of(plan: TablePlan, number: Any, field: str = "") -> PlanTable:
    try:
        return plan.tables.get(number=int(number))
    except (TypeError, ValueError, PlanTable.DoesNotExist):
        raise ValidationError(
            _("%(field)s: choose a table from 1 to %(n)s.")
            % {"field": field or _("Table"), "n": plan.table_count}
        ) from None


def _round_of(plan: TablePlan, value: Any, *, required: bool = True) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= plan.rounds:
        raise ValidationError(_("Round: choose a round from 1 to %(n)s.") % {"n": plan.rounds})
    return number


def _clear_seats(plan: TablePlan) -> None:
    """A change to the room makes the computed seating stale: back to a draft."""
    if plan.status in (PlanStatus.READY, PlanStatus.FAILED):
        plan.seats.all().delete()
        plan.status = PlanStatus.DRAFT
        plan.held_rounds = 0
        plan.repeated_pairs = plan.out_of_band = plan.met_mean = None
        plan.save(
            update_fields=["status", "held_rounds", "repeated_pairs", "out_of_band", "met_mean", "updated_at"]
        )


def _sync_tables(plan: TablePlan) -> None:
    existing = set(plan.tables.values_list("number", flat=True))
    PlanTable.objects.bulk_create(
        [PlanTable(plan=plan, number=n) for n in range(1, plan.table_count + 1) if n not in existing]
    )
    plan.tables.filter(number__gt=plan.table_count).delete()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
