"""The headline, recomputed from the status history at any past date, against hand-computed figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from advocacy.tracking import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "full", "part", "none", "no_response"),
    [
        # Before anything: all five without a response.
        ("2026-07-31", 0, 0, 0, 5),
        # 1 accepted (nothing started → not at all), others waiting.
        ("2026-08-01", 0, 0, 1, 4),
        # 2 rejected too.
        ("2026-08-15", 0, 0, 2, 3),
        # 1 in progress (part), 2 rejected.
        ("2026-09-01", 0, 1, 1, 3),
        # 3 accepted with changes, nothing started yet.
        ("2026-09-10", 0, 1, 2, 2),
        # 3 implemented in a weaker form (part).
        ("2026-10-01", 0, 2, 1, 2),
        # 5 accepted in principle but not published: still "no response" in public.
        ("2026-10-20", 0, 2, 1, 2),
        # 1 implemented.
        ("2026-11-01", 1, 1, 1, 2),
    ],
)
def test_the_public_headline_at_past_dates(
    tracked: Any, day: str, full: int, part: int, none: int, no_response: int
) -> None:
    headline = selectors.headline(tracked.assembly, dt.date.fromisoformat(day))
    assert (headline.full, headline.part, headline.none, headline.no_response) == (
        full,
        part,
        none,
        no_response,
    )
    assert headline.total == 5


def test_the_organisers_headline_counts_the_unpublished_response(tracked: Any) -> None:
    inside = selectors.headline(tracked.assembly, dt.date(2026, 10, 20), public=False)
    assert (inside.full, inside.part, inside.none, inside.no_response) == (0, 2, 2, 1)


def test_the_series_ends_today_with_the_current_figures(tracked: Any) -> None:
    series = selectors.headline_series(tracked.assembly)
    assert [p.as_of.isoformat() for p in series[:3]] == ["2026-08-01", "2026-08-15", "2026-09-01"]
    today = selectors.headline(tracked.assembly)
    assert series[-1].as_dict() == today.as_dict()
    for point in series:
        assert point.as_dict() == selectors.headline(tracked.assembly, point.as_of).as_dict()


def test_a_back_dated_milestone_changes_the_past_but_not_the_present(tracked: Any) -> None:
    from advocacy.tracking import services

    rec = tracked.recs[1]  # rejected 2026-08-15
    services.milestone_add(
        recommendation=rec,
        data={"date": "2026-08-20", "title": "Pilot", "status": "in_progress"},
        by=tracked.organiser,
    )
    assert selectors.headline(tracked.assembly, dt.date(2026, 8, 20)).part == 1
    assert rec.tracking.implementation_status == "in_progress"


def test_scorecard(tracked: Any) -> None:
    card = selectors.scorecard(tracked.institution)
    # 5 addressed; 3 published responses... 1, 2 and 3 (5 is not public, 4 has none).
    assert (card.addressed, card.responded, card.implemented) == (5, 3, 1)
    assert card.response_rate == 60
    assert card.share_implemented == 20
    # Reported 2026-06-30: 32, 46 and 72 days → median 46.
    assert card.median_days == 46
    assert card.overdue == 2  # 4 (no response) and 5 (nothing published)


def test_overdue_responses(tracked: Any) -> None:
    overdue = selectors.overdue_responses(tracked.assembly, today=dt.date(2026, 12, 3))
    assert [r.recommendation.number for r in overdue] == [4]
    assert not selectors.overdue_responses(tracked.assembly, today=dt.date(2026, 9, 30)).exists()


def test_abandoned_counts_as_not_at_all_even_without_a_response() -> None:
    assert selectors.bucket("no_response", "abandoned") == "none"
    assert selectors.bucket("no_response", "in_progress") == "part"
    assert selectors.bucket("rejected", "implemented") == "full"
    assert selectors.bucket("accepted", "not_started") == "none"
    assert selectors.bucket("no_response", "not_started") == "no_response"


def test_reporting_makes_every_adopted_recommendation_await_its_response(
    assembly: Any, organiser: Any
) -> None:
    from advocacy.models import Response
    from advocacy.tracking import services
    from tests.factories import make_adopted

    recs = [make_adopted(assembly, title=f"R{i}") for i in range(2)]
    services.on_stage_change(assembly, "deciding", "published", organiser)
    assert [r.due_on for r in Response.objects.filter(recommendation__in=recs)] == [dt.date(2026, 9, 30)] * 2
    assert services.ensure_responses(assembly=assembly) == 0
    assert [
        r.recommendation.number for r in selectors.overdue_responses(assembly, today=dt.date(2026, 12, 3))
    ] == [1, 2]


def test_a_recommendation_without_a_response_row_is_overdue_in_the_tracker(assembly: Any) -> None:
    from tests.factories import make_adopted

    make_adopted(assembly)
    (row,) = selectors.tracker_rows(assembly)
    assert row.due_on == dt.date(2026, 9, 30)
    assert row.overdue is (dt.date(2026, 9, 30) < timezone.localdate())
