from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from lottery.engine import InfeasibleQuotas, InvalidInput, Quota, Respondent, SelectionProblem, leximin

from .enumeration import valid_panels
from .problems import problem
from .test_leximin import small_problems

ROWS = [("f", "young"), ("f", "old"), ("m", "old"), ("m", "old"), ("m", "old")]


def test_relaxation_names_the_conflicting_quota_and_is_smallest():
    quotas = {
        ("gender", "f"): (0, 3),
        ("gender", "m"): (0, 3),
        ("age", "young"): (3, 3),
        ("age", "old"): (0, 3),
    }
    with pytest.raises(InfeasibleQuotas) as error:
        leximin(problem(ROWS, quotas, 3))
    [relaxation] = error.value.relaxations
    assert (relaxation.category, relaxation.feature, relaxation.bound) == ("age", "young", "min")
    assert (relaxation.old, relaxation.new) == (3, 1)
    message = str(error.value)
    assert "age=young" in message and "from 3 to 1" in message


def test_relaxation_respects_flex_bounds():
    respondents = [Respondent(f"r{i}", {"gender": g, "age": a}) for i, (g, a) in enumerate(ROWS)]
    quotas = [
        Quota("gender", "f", 0, 3),
        Quota("gender", "m", 0, 1, max_flex=3),
        Quota("age", "young", 1, 1, min_flex=1),
        Quota("age", "old", 0, 3),
    ]
    with pytest.raises(InfeasibleQuotas) as error:
        leximin(SelectionProblem(respondents, quotas, 4))
    # Only two women: one more man is needed, the young minimum may not move.
    [relaxation] = error.value.relaxations
    assert (relaxation.feature, relaxation.bound, relaxation.new) == ("m", "max", 2)


def test_no_relaxation_within_flex_is_reported_plainly():
    respondents = [Respondent(f"r{i}", {"gender": g, "age": a}) for i, (g, a) in enumerate(ROWS)]
    quotas = [
        Quota("gender", "f", 0, 3),
        Quota("gender", "m", 0, 1, max_flex=1),
        Quota("age", "young", 0, 3),
        Quota("age", "old", 0, 3),
    ]
    with pytest.raises(InfeasibleQuotas, match="no relaxation within min_flex/max_flex"):
        leximin(SelectionProblem(respondents, quotas, 4))


def test_households_make_quotas_infeasible():
    quotas = {
        ("gender", "f"): (2, 2),
        ("gender", "m"): (0, 3),
        ("age", "young"): (0, 3),
        ("age", "old"): (0, 3),
    }
    with pytest.raises(InfeasibleQuotas, match="household"):
        leximin(problem(ROWS, quotas, 3, households={0: "h", 1: "h"}))


@pytest.mark.parametrize(
    ("quotas", "k", "message"),
    [
        ({("gender", "f"): (2, 3), ("gender", "m"): (2, 3)}, 3, "minimums of category 'gender' add up to 4"),
        ({("gender", "f"): (0, 1), ("gender", "m"): (0, 1)}, 3, "maximums of category 'gender' add up to 2"),
        ({("gender", "f"): (2, 1), ("gender", "m"): (0, 3)}, 3, "0 <= min <= max"),
    ],
)
def test_quotas_against_k(quotas, k, message):
    full = {**quotas, ("age", "young"): (0, 5), ("age", "old"): (0, 5)}
    with pytest.raises(InvalidInput, match=message):
        leximin(problem(ROWS, full, k))


def test_unknown_feature_value_is_invalid():
    respondents = [Respondent("a", {"gender": "x"})]
    with pytest.raises(InvalidInput, match="not a feature"):
        leximin(SelectionProblem(respondents, [Quota("gender", "f", 0, 1)], 1))


def test_values_match_case_insensitively_after_trimming():
    respondents = [Respondent("a", {"Gender": "  F "}), Respondent("b", {"gender": "m"})]
    dist = leximin(SelectionProblem(respondents, [Quota("gender", "f", 1, 1), Quota("gender", "m", 0, 1)], 1))
    assert dist.probabilities == {"a": pytest.approx(1.0), "b": 0.0}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_proposed_relaxation_makes_random_instances_feasible(prob):
    try:
        leximin(prob)
    except InvalidInput:
        return
    except InfeasibleQuotas as error:
        assert valid_panels(prob) == []
        if not error.relaxations:
            return
        changes = {(r.category, r.feature, r.bound): r.new for r in error.relaxations}
        relaxed = [
            Quota(
                q.category,
                q.feature,
                changes.get((q.category, q.feature, "min"), q.min),
                changes.get((q.category, q.feature, "max"), q.max),
            )
            for q in prob.quotas
        ]
        assert valid_panels(SelectionProblem(prob.respondents, relaxed, prob.panel_size))
