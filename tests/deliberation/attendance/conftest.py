"""Fixtures of attendance and stipends: a facilitator of ``assembly``, sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from assemblies.models import Member, Role
from deliberation.models import SessionStatus
from tests.factories import MemberFactory, SessionFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    user = UserFactory(username="alpha-facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.FACILITATOR)
    return user


@pytest.fixture
def other_facilitator(other_tenant: Any) -> Any:
    user = UserFactory(username="beta-facilitator@example.org")
    TeamMembershipFactory(team=other_tenant.team, user=user, role=Role.FACILITATOR)
    return user


@pytest.fixture
def session(assembly: Any) -> Any:
    return SessionFactory(
        assembly=assembly, starts_at=timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    )


@pytest.fixture
def other_session(other_assembly: Any) -> Any:
    return SessionFactory(assembly=other_assembly)


@pytest.fixture
def alpha_member(tenant: Any) -> Member:
    return Member.objects.get(assembly=tenant.assembly, user=tenant.member)


def held_session(assembly: Any, days_ago: int) -> Any:
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    return SessionFactory(assembly=assembly, starts_at=start, status=SessionStatus.HELD)


def members(assembly: Any, n: int) -> list[Member]:
    return [MemberFactory(assembly=assembly) for _ in range(n)]
