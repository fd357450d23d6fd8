"""Fixtures of members' voice and care: a bilingual assembly's members, a facilitator."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.models import Member, Role
from tests.factories import MemberFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def bilingual(tenant: Any) -> Any:
    """Tenant A works in English and French; one French-speaking member, one without email."""
    from tests.factories import RespondentFactory

    assembly = tenant.assembly
    assembly.languages = ["en", "fr"]
    assembly.save(update_fields=["languages"])
    french = MemberFactory(
        assembly=assembly, user=UserFactory(username="amelie@example.org"), display_name="Amélie"
    )
    RespondentFactory(assembly=assembly, member=french, language="fr", email="amelie@example.org")
    no_email = MemberFactory(
        assembly=assembly, user=UserFactory(username="postonly", email=""), display_name="Post Only"
    )
    return {
        "french": french,
        "no_email": no_email,
        "member": Member.objects.get(assembly=assembly, user=tenant.member),
    }


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    user = UserFactory(username="alpha-facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.FACILITATOR, assembly=tenant.assembly)
    return user


def role_user(tenant: Any, role: str) -> Any:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=role, assembly=tenant.assembly)
    return user
