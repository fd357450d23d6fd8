"""Fixtures for stage 2: a recruiting assembly with two questions and letters."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from assemblies.models import Assembly, Stage
from lottery.models import Address, Category, Feature, Invitation, InvitationRound, RecruitmentSettings


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # rate-limit counters must not leak between tests


def make_invitation(assembly: Assembly, n: int = 1, *, line1: str | None = None) -> Invitation:
    round_, _ = InvitationRound.objects.get_or_create(assembly=assembly, name="Round 1")
    address = Address.objects.create(
        assembly=assembly, round=round_, line_number=n, line1=line1 or f"{n} High Street", postcode="AB1 2CD"
    )
    return Invitation.objects.create(assembly=assembly, round=round_, address=address, sequence=n)


def setup_recruitment(assembly: Assembly) -> dict[str, Any]:
    Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.RECRUITING)
    assembly.refresh_from_db()
    RecruitmentSettings.objects.update_or_create(
        assembly=assembly,
        defaults={
            "panel_size": 10,
            "session_dates": ["2026-03-07", "2026-03-21"],
            "privacy_notice_version": "2",
            "privacy_notice": "Riverside Council keeps your answers to choose the assembly fairly.",
        },
    )
    gender = Category.objects.create(assembly=assembly, name="gender", label="Gender", order=1)
    age = Category.objects.create(
        assembly=assembly, name="age", label="Age", order=2, allow_prefer_not_to_say=True
    )
    features = {}
    for category, values in ((gender, ["female", "male", "non-binary"]), (age, ["16-29", "30-59", "60+"])):
        for i, value in enumerate(values):
            features[value] = Feature.objects.create(
                assembly=assembly, category=category, value=value, label=value.title(), order=i
            )
    return {"gender": gender, "age": age, "features": features}


@pytest.fixture
def recruiting(assembly: Assembly) -> dict[str, Any]:
    return setup_recruitment(assembly)
