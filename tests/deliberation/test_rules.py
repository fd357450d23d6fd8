"""Deliberation's permissions as a matrix: role x permission, and who gets nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from assemblies.models import Role
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME, MANAGE_STIPENDS, VIEW_PROGRAMME
from tests.factories import TeamMembershipFactory, UserFactory

PERMS = [VIEW_PROGRAMME, MANAGE_PROGRAMME, FACILITATE, MANAGE_STIPENDS]
EXPECTED = {
    Role.OWNER: set(PERMS),
    Role.ORGANISER: set(PERMS),
    Role.FACILITATOR: {VIEW_PROGRAMME, FACILITATE},
    Role.VIEWER: {VIEW_PROGRAMME},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["organisation", "assembly"])
def test_role_matrix(tenant: Any, role: Role, scope: str) -> None:
    user = UserFactory()
    TeamMembershipFactory(
        team=tenant.team, user=user, role=role, assembly=tenant.assembly if scope == "assembly" else None
    )

    assert {perm for perm in PERMS if user.has_perm(perm, tenant.assembly)} == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_a_role_in_one_assembly_gives_nothing_in_another(tenant: Any, other_tenant: Any, role: Role) -> None:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=role, assembly=tenant.assembly)

    assert not any(user.has_perm(perm, other_tenant.assembly) for perm in PERMS)


def test_members_other_tenants_and_anonymous_get_nothing(tenant: Any, other_tenant: Any) -> None:
    for user in (tenant.member, other_tenant.organiser, other_tenant.member, AnonymousUser()):
        assert not any(user.has_perm(perm, tenant.assembly) for perm in PERMS), user


def test_superusers_get_everything(tenant: Any) -> None:
    admin = UserFactory(is_superuser=True)
    assert all(admin.has_perm(perm, tenant.assembly) for perm in PERMS)
