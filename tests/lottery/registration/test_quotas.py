from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from lottery.models import Feature
from lottery.quotas import FeatureShare, largest_remainder, propose_seats
from lottery.registration.services import category_propose_seats


def test_largest_remainder_sums_to_total_and_stays_within_one_seat() -> None:
    weights = [Fraction(w) for w in (51, 49)]
    assert largest_remainder(weights, 5) == [3, 2]
    thirds = [Fraction(1)] * 3
    assert largest_remainder(thirds, 10) == [4, 3, 3]  # tie: the earlier one
    shares = [Fraction(s) for s in ("12.5", "33.3", "20.2", "34.0")]
    seats = largest_remainder(shares, 37)
    assert sum(seats) == 37
    whole = sum(shares)
    for share, got in zip(shares, seats, strict=True):
        assert abs(got - share * 37 / whole) < 1


def test_largest_remainder_edge_cases() -> None:
    assert largest_remainder([Fraction(0), Fraction(0)], 5) == [0, 0]
    assert largest_remainder([], 5) == []
    assert largest_remainder([Fraction(1), Fraction(3)], 0) == [0, 0]
    with pytest.raises(ValueError):
        largest_remainder([Fraction(-1)], 3)


def test_propose_seats_tolerance_clipped_and_prefer_not_to_say() -> None:
    proposals = propose_seats(
        [
            FeatureShare("female", Decimal("51.000")),
            FeatureShare("male", Decimal("48.000")),
            FeatureShare("non-binary", Decimal("1.000")),
            FeatureShare("pnts", None, prefer_not_to_say=True),
        ],
        panel_size=20,
        tolerance=2,
    )
    by_key = {p.key: p for p in proposals}
    assert [p.key for p in proposals] == ["female", "male", "non-binary", "pnts"]
    assert sum(p.target for p in proposals if p.key != "pnts") == 20
    assert (by_key["female"].target, by_key["female"].min_seats, by_key["female"].max_seats) == (10, 8, 12)
    assert (by_key["male"].target, by_key["male"].min_seats, by_key["male"].max_seats) == (10, 8, 12)
    # 0.2 seats rounds to 0; the range is clipped at 0, not negative.
    assert (by_key["non-binary"].target, by_key["non-binary"].min_seats, by_key["non-binary"].max_seats) == (
        0,
        0,
        2,
    )
    assert (by_key["pnts"].min_seats, by_key["pnts"].max_seats) == (0, 20)


def test_propose_seats_feasible_sums() -> None:
    """With any tolerance, the minimums sum to at most k and the maximums to at least k."""
    shares = [FeatureShare(str(i), s) for i, s in enumerate((3.5, 17.25, 40, 39.25))]
    for k in (1, 7, 110):
        for tolerance in (0, 1, 3):
            proposals = propose_seats(shares, panel_size=k, tolerance=tolerance)
            assert sum(p.min_seats for p in proposals) <= k <= sum(p.max_seats for p in proposals)
            assert all(0 <= p.min_seats <= p.target <= p.max_seats <= k for p in proposals)
            if tolerance == 0:
                assert sum(p.max_seats for p in proposals) == k


def test_propose_seats_clips_to_panel_size() -> None:
    proposals = propose_seats([FeatureShare("all", 100)], panel_size=4, tolerance=3)
    assert (proposals[0].min_seats, proposals[0].max_seats) == (1, 4)


def test_category_propose_seats_writes_the_proposal_into_the_features(
    assembly: Any, recruiting: Any, organiser: Any, other_organiser: Any
) -> None:
    gender = recruiting["gender"]
    for value, share in {"female": "51", "male": "48", "non-binary": "1"}.items():
        Feature.objects.filter(category=gender, value=value).update(population_share=share)

    def seats() -> dict[str, tuple[int, int]]:
        return {f.value: (f.min_seats, f.max_seats) for f in Feature.objects.filter(category=gender)}

    before = seats()
    with pytest.raises(PermissionDenied):
        category_propose_seats(categories=[gender], by=other_organiser)
    assert seats() == before
    assert category_propose_seats(categories=[gender], by=organiser) == 1
    # 10 seats, tolerance 1 seat: 51 % → 5 ± 1, 48 % → 5 ± 1, 1 % → 0..1
    assert seats() == {"female": (4, 6), "male": (4, 6), "non-binary": (0, 1)}
