"""Each session's table plan gets its own default seed: with seed 1 for every
plan, the second weekend seated everyone at the same tables, with the same
people, as the first (the demo showed it: 165 of 165 seats repeated)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from deliberation.models import Seat, TablePlan
from deliberation.tables import selectors

from .conftest import compute
from .helpers import make_session

pytestmark = pytest.mark.django_db


def _seating(plan: TablePlan) -> dict[tuple[int, int], int]:
    return {
        (s.member_id, s.round): s.table.number for s in Seat.objects.filter(plan=plan).select_related("table")
    }


def test_two_weekends_get_different_seeds_and_seatings(
    organiser_client: Any, tenant: Any, room: list[Any], session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    later = make_session(
        tenant.assembly, title="Weekend two", starts_at=session.starts_at + dt.timedelta(days=14)
    )
    assert (selectors.default_seed(session), selectors.default_seed(later)) == (1, 2)
    plans = []
    for s in (session, later):
        organiser_client.post(
            reverse("admin:deliberation_tables_create", args=[tenant.assembly.pk]),
            {"session": s.pk, "rounds": 2, "table_count": 4},
        )
        plan = TablePlan.objects.get(session=s)
        plans.append(compute(plan, tenant.organiser, django_capture_on_commit_callbacks))
    assert [p.seed for p in plans] == [1, 2]
    first, second = (_seating(p) for p in plans)
    assert first and set(first) == set(second)
    assert first != second


def test_a_seed_typed_by_the_organiser_is_kept(
    organiser_client: Any, tenant: Any, room: list[Any], session: Any
) -> None:
    organiser_client.post(
        reverse("admin:deliberation_tables_create", args=[tenant.assembly.pk]),
        {"session": session.pk, "rounds": 2, "table_count": 4, "seed": 7},
    )
    assert TablePlan.objects.get(session=session).seed == 7
