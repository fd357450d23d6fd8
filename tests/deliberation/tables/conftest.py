"""Shared fixtures of the tables tests: a room of 16 members with answers, a
session, a facilitator, and a plan computed through the job."""

from __future__ import annotations

from typing import Any

import pytest

from deliberation.models import TablePlan
from deliberation.tables import services

from .helpers import make_facilitator, make_room, make_session


@pytest.fixture(autouse=True)
def _quick_engine(settings: Any) -> None:
    settings.TABLE_PLAN_TIME_LIMIT = 10


@pytest.fixture
def room(tenant: Any) -> list[Any]:
    return make_room(tenant.assembly, n=16)


@pytest.fixture
def session(tenant: Any) -> Any:
    return make_session(tenant.assembly, title="Weekend one")


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    return make_facilitator(tenant)


def compute(plan: TablePlan, by: Any, django_capture_on_commit_callbacks: Any) -> TablePlan:
    with django_capture_on_commit_callbacks(execute=True):
        services.table_plan_compute(plan=plan, by=by)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan(tenant: Any, room: list[Any], session: Any) -> TablePlan:
    return services.table_plan_create(
        session=session, rounds=3, table_count=4, mix=["gender", "age"], by=tenant.organiser
    )


@pytest.fixture
def computed(plan: TablePlan, tenant: Any, django_capture_on_commit_callbacks: Any) -> TablePlan:
    return compute(plan, tenant.organiser, django_capture_on_commit_callbacks)
