from __future__ import annotations

import pytest

from lottery.engine import InfeasibleQuotas, check_distribution, legacy

from .problems import problem, skewed


def test_legacy_panels_are_valid_and_seeded():
    prob = skewed()
    first = legacy(prob, runs=300, seed=7)
    check_distribution(prob, first)
    assert first == legacy(prob, runs=300, seed=7) or first.panels == legacy(prob, runs=300, seed=7).panels
    assert sum(first.probabilities.values()) == pytest.approx(prob.panel_size)


def test_legacy_gives_up_on_impossible_quotas():
    rows = [("f", "young"), ("f", "old"), ("m", "old")]
    quotas = {
        ("gender", "f"): (0, 3),
        ("gender", "m"): (0, 3),
        ("age", "young"): (2, 2),
        ("age", "old"): (0, 3),
    }
    with pytest.raises(InfeasibleQuotas):
        legacy(problem(rows, quotas, 2), runs=5, max_failures=20)


def test_legacy_pools_interchangeable_people_for_its_minimum():
    dist = legacy(skewed(), runs=200, seed=1)
    pooled = dist.stats["pooled_min_probability"]
    # Pooling averages people with the same answers: never below the plain minimum.
    assert dist.min_probability <= pooled <= max(dist.probabilities.values())
