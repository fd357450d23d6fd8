"""Advocacy's permissions as a matrix: role x permission, members, and who gets nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from advocacy.rules import CARRY_FORWARD, MANAGE_ADVOCACY, VIEW_ADVOCACY
from assemblies.models import Role
from tests.factories import TeamMembershipFactory, UserFactory

ORGANISER_PERMS = [VIEW_ADVOCACY, MANAGE_ADVOCACY]
PERMS = [*ORGANISER_PERMS, CARRY_FORWARD]
EXPECTED = {
    Role.OWNER: set(ORGANISER_PERMS),
    Role.ORGANISER: set(ORGANISER_PERMS),
    Role.FACILITATOR: {VIEW_ADVOCACY},
    Role.VIEWER: {VIEW_ADVOCACY},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["organisation", "assembly"])
def test_role_matrix(tenant: Any, role: Role, scope: str) -> None:
    user = UserFactory()
    TeamMembershipFactory(
        team=tenant.team, user=user, role=role, assembly=tenant.assembly if scope == "assembly" else None
    )

    # Team roles never rate responses or speak for the assembly: carrying it forward is for members.
    assert {perm for perm in PERMS if user.has_perm(perm, tenant.assembly)} == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_a_role_in_one_assembly_gives_nothing_in_another(tenant: Any, other_tenant: Any, role: Role) -> None:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=role, assembly=tenant.assembly)

    assert not any(user.has_perm(perm, other_tenant.assembly) for perm in PERMS)


def test_members_carry_forward_their_own_assembly_only(tenant: Any, other_tenant: Any) -> None:
    assert {perm for perm in PERMS if tenant.member.has_perm(perm, tenant.assembly)} == {CARRY_FORWARD}
    for user in (other_tenant.organiser, other_tenant.member, AnonymousUser()):
        assert not any(user.has_perm(perm, tenant.assembly) for perm in PERMS), user
