"""A small tracker: three adopted recommendations (one with a response, a
milestone and a note that begins like a formula) and one that was not adopted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from advocacy.tracking import services as tracking
from assemblies.actors import SYSTEM
from recommendations.models import Recommendation, RecommendationStatus
from tests.factories import make_draft


def adopted(assembly: Any, title: str) -> Recommendation:
    rec = make_draft(assembly, title=title)
    Recommendation.objects.filter(pk=rec.pk).update(status=RecommendationStatus.ADOPTED)
    rec.refresh_from_db()
    return rec


@pytest.fixture
def tracker(assembly: Any) -> list[Recommendation]:
    first = adopted(assembly, "Cap yearly rent rises")
    second = adopted(assembly, "A register of landlords")
    third = adopted(assembly, "Warm homes")
    make_draft(assembly, title="Not adopted")  # a draft: never in the file
    tracking.response_record(
        recommendation=first,
        data={
            "status": "accepted_in_principle",
            "responded_on": "2026-03-02",
            "due_on": "2026-04-01",
            "justification": "=the council agrees, with changes",
            "source_url": "https://council.example/response.pdf",
        },
        by=SYSTEM,
        source="admin",
    )
    tracking.milestone_add(
        recommendation=first,
        data={
            "date": dt.date(2026, 5, 1),
            "title": "Budget line agreed",
            "status": "in_progress",
            "evidence_url": "https://council.example/budget",
        },
        by=SYSTEM,
        source="admin",
    )
    tracking.tracking_update(recommendation=second, notes="-ask again in June", by=SYSTEM, source="admin")
    return [first, second, third]
