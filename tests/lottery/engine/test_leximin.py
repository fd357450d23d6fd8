from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lottery.engine import InfeasibleQuotas, InvalidInput, SelectionProblem, check_distribution, leximin

from .enumeration import leximin_vector, maximin_value, valid_panels
from .problems import off_relaxation, problem, skewed


def assert_valid(prob: SelectionProblem, dist) -> None:
    check_distribution(prob, dist)
    assert math.isclose(sum(dist.probabilities.values()), prob.panel_size, abs_tol=1e-9)
    assert math.isclose(sum(p.probability for p in dist.panels), 1.0, abs_tol=1e-12)
    assert dist.min_probability == min(dist.probabilities.values())


def test_skewed_instance_matches_enumerated_leximin():
    prob = skewed()
    dist = leximin(prob)
    assert_valid(prob, dist)
    expected = leximin_vector(prob)
    for rid, p in expected.items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-6)
    assert dist.levels >= 2
    assert dist.complete


def test_household_rule_holds_in_every_panel():
    prob = skewed()
    dist = leximin(prob)
    for panel in dist.panels:
        assert not {"r4", "r5"} <= set(panel.members)


def test_minimum_equals_maximin_of_all_panels():
    rows = [
        ("f", "young"),
        ("f", "old"),
        ("f", "old"),
        ("f", "old"),
        ("m", "young"),
        ("m", "young"),
        ("m", "old"),
        ("m", "old"),
        ("m", "old"),
        ("f", "young"),
        ("m", "old"),
        ("f", "old"),
    ]
    quotas = {
        ("gender", "f"): (2, 3),
        ("gender", "m"): (2, 3),
        ("age", "young"): (2, 2),
        ("age", "old"): (2, 3),
    }
    prob = problem(rows, quotas, 5, households={1: "a", 2: "a", 6: "b"})
    dist = leximin(prob)
    assert_valid(prob, dist)
    assert dist.min_probability == pytest.approx(maximin_value(prob), abs=1e-7)


def test_seated_respondents_keep_their_seat_and_exclude_household_mates():
    prob = skewed()
    prob = SelectionProblem(prob.respondents, prob.quotas, prob.panel_size, seated=("r4",))
    dist = leximin(prob)
    assert_valid(prob, dist)
    assert dist.probabilities["r4"] == pytest.approx(1.0)
    assert dist.probabilities["r5"] == 0.0
    assert all("r4" in p.members for p in dist.panels)
    expected = leximin_vector(prob)
    for rid, p in expected.items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-6)


def test_runs_are_deterministic():
    prob = skewed()
    first, second = leximin(prob), leximin(prob)
    assert first.panels == second.panels
    assert first.probabilities == second.probabilities


def test_progress_reports_levels():
    events = []
    leximin(skewed(), progress=events.append)
    assert events and events[0].level == 1
    assert events[-1].fixed == events[-1].types


def test_time_limit_keeps_the_first_level_and_marks_incomplete():
    # Only column generation works level by level; this instance needs it.
    prob = off_relaxation()
    dist = leximin(prob, time_limit=1e-9)
    assert_valid(prob, dist)
    assert not dist.complete
    assert dist.levels == 1
    assert dist.min_probability == pytest.approx(maximin_value(prob), abs=1e-7)


def test_infeasible_quotas_raise_a_plain_message():
    rows = [("f", "young"), ("f", "old"), ("m", "old"), ("m", "old")]
    quotas = {
        ("gender", "f"): (1, 2),
        ("gender", "m"): (1, 2),
        ("age", "young"): (2, 2),
        ("age", "old"): (0, 2),
    }
    with pytest.raises(InfeasibleQuotas) as error:
        leximin(problem(rows, quotas, 3))
    assert "age=young" in str(error.value)
    assert "Traceback" not in str(error.value)


def test_panel_larger_than_pool_is_invalid():
    rows = [("f", "young"), ("m", "old")]
    quotas = {
        ("gender", "f"): (0, 3),
        ("gender", "m"): (0, 3),
        ("age", "young"): (0, 3),
        ("age", "old"): (0, 3),
    }
    with pytest.raises(InvalidInput, match="larger than the pool"):
        leximin(problem(rows, quotas, 3))


GENDERS = ["f", "m"]
AGES = ["young", "mid", "old"]


@st.composite
def small_problems(draw):
    n = draw(st.integers(3, 8))
    rows = [(draw(st.sampled_from(GENDERS)), draw(st.sampled_from(AGES))) for _ in range(n)]
    k = draw(st.integers(1, min(4, n)))
    quotas = {}
    for category, features in (("gender", GENDERS), ("age", AGES)):
        for feature in features:
            low = draw(st.integers(0, 2))
            quotas[(category, feature)] = (low, low + draw(st.integers(0, 3)))
    households = {i: f"h{draw(st.integers(0, 2))}" for i in range(n) if draw(st.booleans())}
    return problem(rows, quotas, k, households=households)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_random_small_instances_match_enumeration(prob):
    try:
        dist = leximin(prob)
    except InvalidInput:
        return  # quotas impossible against k: checked before the pool is looked at
    except InfeasibleQuotas:
        assert valid_panels(prob) == []
        return
    assert valid_panels(prob)
    assert_valid(prob, dist)
    expected = leximin_vector(prob)
    for rid, p in expected.items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-6)
