"""Shared bits of the sessions tests: people in roles, a session with an agenda."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assemblies.models import Member, Role
from tests.factories import AgendaItemFactory, SessionFactory, TeamMembershipFactory, UserFactory

LONDON = ZoneInfo("Europe/London")


def team_user(tenant: Any, role: str, name: str) -> Any:
    user = UserFactory(username=f"{name}@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=role)
    return user


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    return team_user(tenant, Role.FACILITATOR, "alpha-facilitator")


@pytest.fixture
def other_facilitator(other_tenant: Any) -> Any:
    return team_user(other_tenant, Role.FACILITATOR, "beta-facilitator")


@pytest.fixture
def membership(tenant: Any) -> Member:
    return Member.objects.get(assembly=tenant.assembly, user=tenant.member)


@pytest.fixture
def session(tenant: Any) -> Any:
    """A public session in ten days, 10:00 to 16:00, with two items."""
    start = london(2030, 6, 8, 10, 0)
    session = SessionFactory(
        assembly=tenant.assembly,
        title="Weekend one",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        is_public=True,
        venue_name="Town Hall",
        venue_address="1 Market Square\nNorthshire NS1 1AA",
        access_info="Step-free entrance on Mill Lane. Bus 12 stops outside.",
    )
    AgendaItemFactory(session=session, title="Welcome", position=1, minutes=30, kind="plenary")
    AgendaItemFactory(session=session, title="Buses and trams", position=2, minutes=60, kind="talk")
    return session
