"""The fixed cast of every test (after healthchecks' alice, bob and charlie).

- ``organiser``: owner in organisation A, which runs ``assembly``.
- ``other_organiser``: owner in organisation B, which runs ``other_assembly``.
- ``member``: a confirmed member of ``assembly``.
- ``other_member``: a confirmed member of ``other_assembly``.
- anonymous: Django's test ``client`` without login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from assemblies.models import Assembly, Role
from tests.factories import (
    AssemblyFactory,
    MemberFactory,
    OrganisationFactory,
    OrganiserTeamFactory,
    TeamMembershipFactory,
    UserFactory,
)


@dataclass
class Tenant:
    organisation: Any
    team: Any
    assembly: Assembly
    organiser: Any
    member: Any


def make_tenant(prefix: str) -> Tenant:
    organisation = OrganisationFactory(name=f"{prefix.title()} Council", slug=f"{prefix}-council")
    team = OrganiserTeamFactory(organisation=organisation)
    assembly = AssemblyFactory(
        organisation=organisation, slug=f"{prefix}-climate", title=f"{prefix.title()} Climate Assembly"
    )
    organiser = UserFactory(username=f"{prefix}-organiser@example.org")
    TeamMembershipFactory(team=team, user=organiser, role=Role.OWNER)
    member_user = UserFactory(username=f"{prefix}-member@example.org")
    MemberFactory(assembly=assembly, user=member_user, display_name=f"{prefix.title()} Member")
    return Tenant(organisation, team, assembly, organiser, member_user)


@pytest.fixture
def tenant(db: None) -> Tenant:
    return make_tenant("alpha")


@pytest.fixture
def other_tenant(db: None) -> Tenant:
    return make_tenant("beta")


@pytest.fixture
def assembly(tenant: Tenant) -> Assembly:
    return tenant.assembly


@pytest.fixture
def other_assembly(other_tenant: Tenant) -> Assembly:
    return other_tenant.assembly


@pytest.fixture
def organiser(tenant: Tenant) -> Any:
    return tenant.organiser


@pytest.fixture
def other_organiser(other_tenant: Tenant) -> Any:
    return other_tenant.organiser


@pytest.fixture
def member(tenant: Tenant) -> Any:
    return tenant.member


@pytest.fixture
def other_member(other_tenant: Tenant) -> Any:
    return other_tenant.member


@pytest.fixture
def organiser_client(client: Any, organiser: Any) -> Any:
    client.force_login(organiser)
    return client


@pytest.fixture
def member_client(client: Any, member: Any) -> Any:
    client.force_login(member)
    return client
