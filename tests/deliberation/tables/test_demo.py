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


def test_the_demos_held_climate_weekends_have_plans_outputs_and_minutes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from assemblies.demo import seed_demo
    from deliberation.demo import CLIMATE_SLUG, FACILITATOR_EMAIL, load

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()
        load()
        load()
    plans = TablePlan.objects.filter(session__assembly__slug=CLIMATE_SLUG)
    assert plans.count() == 2
    for plan in plans:
        assert plan.status == PlanStatus.READY, plan.message
        assert plan.tables.filter(facilitator__email=FACILITATOR_EMAIL).exists()
        assert TableOutput.objects.filter(plan=plan).count() == plan.table_count * plan.rounds
        assert PlenaryMinutes.objects.filter(session=plan.session).exists()
