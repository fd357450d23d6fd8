from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest

from lottery.engine.decompose import decompose, exact_weights


@pytest.mark.parametrize("seed", range(60))
def test_decomposition_is_exact_and_never_seats_anyone_twice(seed):
    rng = random.Random(seed)
    sizes = [rng.randint(1, 7) for _ in range(rng.randint(1, 4))]
    n_panels = rng.randint(1, 6)
    panels = np.array([[rng.randint(0, c) for c in sizes] for _ in range(n_panels)])
    raw = np.array([rng.random() + 0.01 for _ in range(n_panels)])
    weights = exact_weights(raw / raw.sum())
    members, start = [], 0
    for c in sizes:
        members.append(tuple(range(start, start + c)))
        start += c
    pieces = decompose(members, panels, weights)
    assert sum(q for _, q in pieces) == 1
    for t, group in enumerate(members):
        need = sum(Fraction(int(panels[i, t])) * weights[i] for i in range(n_panels)) / len(group)
        for m in group:
            assert sum(q for panel, q in pieces if m in panel) == need
    for panel, _ in pieces:
        assert len(panel) == len(set(panel))
    assert all(q > 0 for _, q in pieces)


def test_water_filling_fallback_is_exact():
    from lottery.engine import decompose as module

    members = [tuple(range(5))]
    panels = np.array([[3], [2], [5], [1]])
    weights = exact_weights(np.array([0.1, 0.2, 0.3, 0.4]))
    original = module._greedy_plan
    module._greedy_plan = lambda *args: None  # force the fallback
    try:
        pieces = decompose(members, panels, weights)
    finally:
        module._greedy_plan = original
    need = sum(Fraction(int(panels[i, 0])) * weights[i] for i in range(4)) / 5
    for m in range(5):
        assert sum(q for panel, q in pieces if m in panel) == need
