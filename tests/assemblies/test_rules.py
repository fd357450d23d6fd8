"""The permission vocabulary as a matrix: role x permission."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.models import Role
from tests.factories import AssemblyFactory, TeamMembershipFactory, UserFactory

PERMS = [
    "assemblies.view_assembly",
    "assemblies.manage_assembly",
    "assemblies.change_stage",
    "assemblies.view_audit",
    "assemblies.see_personal_data",
    "assemblies.use_portal",
]
EXPECTED = {
    Role.OWNER: {"view_assembly", "manage_assembly", "change_stage", "view_audit", "see_personal_data"},
    Role.ORGANISER: {"view_assembly", "manage_assembly", "change_stage", "view_audit", "see_personal_data"},
    Role.FACILITATOR: {"view_assembly"},
    Role.VIEWER: {"view_assembly"},
}  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", ["organisation", "assembly"])
def test_role_matrix(tenant: Any, role: Role, scope: str) -> None:
    user = UserFactory()
    TeamMembershipFactory(
        team=tenant.team, user=user, role=role, assembly=tenant.assembly if scope == "assembly" else None
    )

    granted = {perm.split(".")[1] for perm in PERMS if user.has_perm(perm, tenant.assembly)}

    assert granted == EXPECTED[role]


def test_assembly_scoped_role_does_not_reach_other_assemblies(tenant: Any) -> None:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.OWNER, assembly=tenant.assembly)
    sibling = AssemblyFactory(organisation=tenant.organisation)

    assert user.has_perm("assemblies.manage_assembly", tenant.assembly)
    assert not user.has_perm("assemblies.view_assembly", sibling)


def test_organisation_wide_role_reaches_new_assemblies(tenant: Any) -> None:
    later = AssemblyFactory(organisation=tenant.organisation)
    organiser = type(tenant.organiser).objects.get(pk=tenant.organiser.pk)

    assert organiser.has_perm("assemblies.manage_assembly", later)


def test_strongest_role_wins(tenant: Any) -> None:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.VIEWER)
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.ORGANISER, assembly=tenant.assembly)

    assert user.has_perm("assemblies.change_stage", tenant.assembly)


def test_members_use_the_portal_of_their_assembly_only(tenant: Any, other_tenant: Any) -> None:
    assert tenant.member.has_perm("assemblies.use_portal", tenant.assembly)
    assert not tenant.member.has_perm("assemblies.use_portal", other_tenant.assembly)
    assert not tenant.member.has_perm("assemblies.view_assembly", tenant.assembly)


def test_nobody_from_another_organisation_gets_anything(tenant: Any, other_tenant: Any) -> None:
    assert not any(other_tenant.organiser.has_perm(perm, tenant.assembly) for perm in PERMS)


@pytest.mark.parametrize("role", list(Role))
def test_every_team_role_organises_and_members_do_not(tenant: Any, role: Role) -> None:
    """``assemblies.organise`` (asked by accounts, below us, by name) opens the admin."""
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=role)

    assert user.has_perm("assemblies.organise")
    assert not tenant.member.has_perm("assemblies.organise")
