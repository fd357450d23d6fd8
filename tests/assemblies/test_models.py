from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from assemblies.models import Member, Role, TeamMembership
from tests.factories import AssemblyFactory, MemberFactory


def test_a_community_assembly_needs_a_core_parent(tenant: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AssemblyFactory(organisation=tenant.organisation, kind="community", parent=None)


def test_a_core_assembly_has_no_parent(tenant: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AssemblyFactory(organisation=tenant.organisation, kind="core", parent=tenant.assembly)


def test_end_date_cannot_precede_start(tenant: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AssemblyFactory(
            organisation=tenant.organisation, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1)
        )


def test_a_person_is_a_member_of_an_assembly_once(tenant: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(assembly=tenant.assembly, user=tenant.member)
    assert Member.objects.filter(assembly=tenant.assembly, user=tenant.member).count() == 1


def test_one_organisation_wide_role_per_person_and_team(tenant: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            team=tenant.team, user=tenant.organiser, role=Role.VIEWER, assembly=None
        )
