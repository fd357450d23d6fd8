"""Recruitment and selection's permissions as a matrix: role x permission."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.models import Role
from assemblies.rules import SEE_PERSONAL_DATA
from lottery.rules import FINALISE_PANEL, MANAGE_RECRUITMENT, RUN_SELECTION, VIEW_RECRUITMENT
from tests.factories import TeamMembershipFactory, UserFactory

PERMS = [VIEW_RECRUITMENT, MANAGE_RECRUITMENT, RUN_SELECTION, FINALISE_PANEL, SEE_PERSONAL_DATA]
EXPECTED = {
    Role.OWNER: set(PERMS),
    Role.ORGANISER: set(PERMS),
    Role.FACILITATOR: {VIEW_RECRUITMENT},
    Role.VIEWER: {VIEW_RECRUITMENT},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["organisation", "assembly"])
def test_role_matrix(tenant: Any, role: Role, scope: str) -> None:
    user = UserFactory()
    TeamMembershipFactory(
        team=tenant.team, user=user, role=role, assembly=tenant.assembly if scope == "assembly" else None
    )

    assert {perm for perm in PERMS if user.has_perm(perm, tenant.assembly)} == EXPECTED[role]


def test_members_and_other_tenants_get_nothing(tenant: Any, other_tenant: Any) -> None:
    assert not any(tenant.member.has_perm(perm, tenant.assembly) for perm in PERMS)
    assert not any(other_tenant.organiser.has_perm(perm, tenant.assembly) for perm in PERMS)
