"""The demo's table plans: computed with facilitators, outputs once held, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from deliberation.models import PlanStatus, PlenaryMinutes, Seat, TableOutput, TablePlan
from deliberation.tables.demo import seed_table_plan

pytestmark = pytest.mark.django_db


def test_seed_table_plan_is_complete_and_idempotent(
    session: Any, room: list[Any], facilitator: Any, tenant: Any
) -> None:
    seed_table_plan(session, held=True)
    plan = TablePlan.objects.get(session=session)
    assert plan.status == PlanStatus.READY
    assert plan.mix == ["gender", "age"]
    tables = list(plan.tables.all())
    assert tables[0].facilitator == facilitator  # facilitators before organisers
    assert all(t.facilitator is not None for t in tables)
    assert TableOutput.objects.filter(plan=plan).count() == len(tables) * plan.rounds
    minutes = PlenaryMinutes.objects.get(session=session)
    assert minutes.responses.count() == 12
    seats = Seat.objects.filter(plan=plan).count()
    seed_table_plan(session, held=True)
    assert TablePlan.objects.filter(session=session).count() == 1
    assert Seat.objects.filter(plan=plan).count() == seats
    assert TableOutput.objects.filter(plan=plan).count() == len(tables) * plan.rounds


def test_without_answers_the_demo_mixes_by_attitude(tenant: Any, facilitator: Any) -> None:
    from tests.factories import MemberFactory

    from .helpers import make_session

    for _ in range(11):
        MemberFactory(assembly=tenant.assembly)
    session = make_session(tenant.assembly)
    seed_table_plan(session, held=False)
    plan = TablePlan.objects.get(session=session)
    assert plan.mix == ["attitude"] and plan.status == PlanStatus.READY
    assert not TableOutput.objects.filter(plan=plan).exists()
