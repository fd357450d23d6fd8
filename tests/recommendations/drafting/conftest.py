"""A drafting world in tenant A: a working group with two members and a
facilitator, a draft of three paragraphs, and two other members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from assemblies.models import Member, Role
from tests.factories import MemberFactory, TeamMembershipFactory, UserFactory, WorkingGroupFactory, make_draft


@dataclass
class Drafting:
    assembly: Any
    group: Any
    draft: Any
    writer: Any  # user in the working group
    writer2: Any
    facilitator: Any  # team facilitator (MODERATE) and the group's facilitator
    reader: Any  # member, not in the group
    reader2: Any
    organiser: Any


def _member(assembly: Any, name: str) -> Any:
    return MemberFactory(
        assembly=assembly, user=UserFactory(username=f"{name}@example.org"), display_name=name.title()
    )


@pytest.fixture
def drafting(tenant: Any) -> Drafting:
    assembly = tenant.assembly
    writer = _member(assembly, "wendy")
    writer2 = _member(assembly, "walter")
    facilitator = UserFactory(username="fiona@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role=Role.FACILITATOR)
    group = WorkingGroupFactory(assembly=assembly, name="Homes", facilitator=facilitator)
    group.members.set([writer, writer2])
    draft = make_draft(assembly, group=group)
    reader = Member.objects.get(assembly=assembly, user=tenant.member)
    reader2 = _member(assembly, "rita")
    return Drafting(
        assembly,
        group,
        draft,
        writer.user,
        writer2.user,
        facilitator,
        reader.user,
        reader2.user,
        tenant.organiser,
    )
