"""Advocacy's demo: Riverside Housing in Follow-up, its twelve recommendations
in every state with a history; loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from advocacy import demo
from advocacy.models import (
    ImplementationStatus,
    Institution,
    Milestone,
    Rating,
    Response,
    ResponseStatus,
    StatusChange,
    Tracking,
)
from advocacy.tracking.selectors import headline, is_overdue
from assemblies.models import Assembly, Stage
from recommendations import demo as recommendations_demo
from tests.factories import AssemblyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside() -> Assembly:
    assembly = AssemblyFactory(
        slug=demo.RIVERSIDE_SLUG,
        title="Riverside Housing Assembly",
        stage=Stage.PUBLISHED,
        starts_on=timezone.localdate() - dt.timedelta(days=180),
        ends_on=timezone.localdate() - dt.timedelta(days=124),
        is_public=True,
    )
    recommendations_demo.seed_riverside(assembly)
    return assembly


def _counts() -> tuple[int, ...]:
    return (
        Institution.objects.count(),
        Response.objects.count(),
        Tracking.objects.count(),
        Milestone.objects.count(),
        StatusChange.objects.count(),
        Rating.objects.count(),
    )


def test_the_demo_loads_twice_to_the_same_data(riverside: Assembly) -> None:
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    riverside.refresh_from_db()
    assert riverside.stage == Stage.FOLLOW_UP


def test_every_state_is_shown_with_history(riverside: Assembly) -> None:
    demo.load()
    responses = Response.objects.filter(recommendation__assembly=riverside)
    assert responses.count() == 12
    assert set(responses.values_list("status", flat=True)) == set(ResponseStatus.values)
    trackers = Tracking.objects.filter(recommendation__assembly=riverside)
    states = set(trackers.values_list("implementation_status", flat=True))
    # Recommendations with no tracker row yet are "not started".
    if trackers.count() < 12:
        states.add(ImplementationStatus.NOT_STARTED)
    assert states == set(ImplementationStatus.values)
    # One response overdue, one not due yet.
    waiting = responses.filter(status=ResponseStatus.NO_RESPONSE)
    assert sorted(is_overdue(r) for r in waiting) == [False, True]
    # The weaker form has its enacted text (for the diff).
    weaker = Milestone.objects.get(
        recommendation__assembly=riverside, status=ImplementationStatus.IMPLEMENTED_WEAKER
    )
    assert "inflation plus two per cent" in weaker.enacted_text
    # The history has a shape: fewer implemented three months ago than today.
    now = headline(riverside)
    then = headline(riverside, timezone.localdate() - dt.timedelta(days=90))
    assert (now.full, then.full) == (3, 1)
    assert then.no_response > now.no_response
    # Members rated the responses.
    assert Rating.objects.filter(response__recommendation__assembly=riverside).count() >= 20
    assert Institution.objects.filter(assembly=riverside).count() == 3


def test_without_riverside_the_demo_does_nothing() -> None:
    assert demo.load() == []
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_the_advocacy_part_is_registered_after_recommendations() -> None:
    from assemblies.registry import registry

    order = {part.app: part.order for part in registry.demo_parts}
    assert order["advocacy"] > order["recommendations"]


def test_a_progress_report_is_made_as_of_the_due_date(riverside: Assembly) -> None:
    from advocacy.progress.schedule import latest_due
    from reports.models import Document

    demo.load()
    demo.load()
    reports = Document.objects.filter(assembly=riverside, kind="progress")
    assert reports.count() == len(riverside.languages or ["en"])
    assert {d.as_of for d in reports} == {latest_due(riverside) or timezone.localdate()}
