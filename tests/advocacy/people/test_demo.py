"""The power and people parts of the demo: Riverside Housing gets stakeholders on
the map, tactics of both kinds, affiliates, media items and a spokesperson with an
accepted media request; running it twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from advocacy.models import (
    Affiliate,
    InviteStatus,
    MediaInvite,
    MediaItem,
    Stakeholder,
    StakeholderStance,
    Tactic,
)
from advocacy.people import demo as people_demo
from advocacy.power import demo as power_demo
from advocacy.power.selectors import pressure_table
from tests.factories import make_adopted

pytestmark = pytest.mark.django_db


def test_demo_seeds_and_is_idempotent(assembly: Any) -> None:
    for title in ("Cap yearly rent rises", "Community land trust", "A tenants' advice service"):
        make_adopted(assembly, title=title)

    def counts() -> tuple[int, ...]:
        return tuple(
            m.objects.count()
            for m in (Stakeholder, StakeholderStance, Tactic, Affiliate, MediaItem, MediaInvite)
        )

    for _ in range(2):
        power_demo.seed(assembly)
        people_demo.seed(assembly)
        if _ == 0:
            first = counts()
    assert counts() == first
    assert Tactic.objects.filter(kind="insider").exists() and Tactic.objects.filter(kind="outsider").exists()
    assert MediaInvite.objects.filter(status=InviteStatus.ACCEPTED).count() == 1
    rent_cap = {r.recommendation.title: r.pressure.flag for r in pressure_table(assembly)}[
        "Cap yearly rent rises"
    ]
    assert rent_cap == "both"
    assert Affiliate.objects.filter(reports__isnull=False).exists()
