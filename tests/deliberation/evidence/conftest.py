"""Shared bits of the speakers-and-evidence tests: a good PDF, people in roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assemblies.models import Member, Role
from tests.factories import TeamMembershipFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def team_user(tenant: Any, role: str, name: str) -> Any:
    user = UserFactory(username=f"{name}@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=role)
    return user


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    return team_user(tenant, Role.FACILITATOR, "alpha-facilitator")


@pytest.fixture
def other_facilitator(other_tenant: Any) -> Any:
    return team_user(other_tenant, Role.FACILITATOR, "beta-facilitator")


@pytest.fixture
def membership(tenant: Any) -> Member:
    return Member.objects.get(assembly=tenant.assembly, user=tenant.member)
