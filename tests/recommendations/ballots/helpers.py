"""A deciding assembly with recommendations and members (shared by deciding and public tests)."""

from __future__ import annotations

from typing import Any

import pytest

from assemblies.models import Stage
from recommendations.models import Recommendation
from tests.factories import MemberFactory, UserFactory


def make_recommendation(assembly: Any, number: int, **fields: Any) -> Recommendation:
    defaults = {
        "title": f"Recommendation {number}",
        "text": f"The council should do thing {number}.\n\nA second paragraph.",
        "rationale": "Because members heard the evidence.",
        "addressee": "Riverside Council",
    }
    defaults.update(fields)
    return Recommendation.objects.create(assembly=assembly, number=number, **defaults)


def make_members(assembly: Any, n: int, prefix: str = "voter") -> list[Any]:
    return [
        MemberFactory(
            assembly=assembly,
            user=UserFactory(username=f"{prefix}{i}-{assembly.slug}@example.org"),
            display_name=f"{prefix.title()} {i}",
        )
        for i in range(n)
    ]


@pytest.fixture
def deciding(tenant: Any) -> Any:
    assembly = tenant.assembly
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    return assembly
