"""The annealing's moves: a band-safe double swap never changes a table's counts."""

from __future__ import annotations

import random
import time

from deliberation.engine.api import repeated_pairs
from deliberation.engine.prepare import prepare
from deliberation.engine.search import _Best, _compound, anneal, compound_partners
from deliberation.engine.seating import Seating, round_weights

from .helpers import room


def _seated(values, tables, rounds, **extra) -> Seating:
    problem = room(values, tables, len(rounds), **extra)
    s = Seating(prepare(problem), round_weights(len(rounds), 1.0))
    for rl, seating in enumerate(rounds):
        s.place(rl, seating)
    return s


# two attributes; table 0 holds (f, y) and (m, o), table 1 holds (m, y) and (f, o)
VALUES = [("f", "y"), ("m", "o"), ("f", "o"), ("m", "y"), ("m", "y"), ("f", "o"), ("f", "y"), ("m", "o")]


def test_the_double_swap_partners_leave_every_count_of_both_tables_as_it_was():
    s = _seated(VALUES, 2, [[[0, 1, 2, 3], [4, 5, 6, 7]], [[0, 1, 2, 3], [4, 5, 6, 7]]])
    counts = [list(c) for c in s.counts[1]]
    pair = compound_partners(s, 1, 0, 4, random.Random(1))  # (f, y) <-> (m, y): gender differs
    assert pair is not None
    k, m = pair
    assert s.tab[1][k] == 1 and s.tab[1][m] == 0
    assert _compound(s, 1, 0, 4, random.Random(1), 1e9, _Best(s, (0, s.cost)))
    assert s.counts[1] == counts  # every cell count unchanged: the band cannot break
    assert sorted(s.tab[1][x] for x in (0, 4, k, m)) == [0, 0, 1, 1]


def test_when_cold_a_double_swap_never_adds_repeats_and_a_refused_one_is_undone_completely():
    # round 2, member 0 with its twin 6: the partners (7, 1) would rebuild both round-1 tables
    refused = 0
    for seed in range(12):
        s = _seated(VALUES, 2, [[[0, 1, 2, 3], [4, 5, 6, 7]], [[0, 1, 4, 5], [2, 3, 6, 7]]])
        before = (s.snapshot(), s.cost, repeated_pairs(s), [list(c) for c in s.counts[1]])
        made = _compound(s, 1, 0, 6, random.Random(seed), 1e-9, _Best(s, (0, s.cost)))
        assert s.cost <= before[1] + 1e-9
        assert s.counts[1] == before[3]
        if not made:
            refused += 1
            assert (s.snapshot(), s.cost, repeated_pairs(s)) == before[:3]
    assert refused


def test_the_penalty_search_remembers_a_cheaper_plan_only_when_every_round_is_back_in_band():
    # 24 members with two attributes at 4 tables over 3 rounds, dealt the same way each round:
    # every round repeats every pair, so the penalty search finds cheaper plans
    values = [(g, a) for g in ("f", "m") for a in ("y", "o", "o", "y", "y", "o")] * 2
    dealt = [list(range(t, 24, 4)) for t in range(4)]
    found = 0
    for seed in range(4):
        s = _seated(values, 4, [dealt, dealt, dealt])
        floor = list(s.oob)
        start_cost = s.cost
        result = anneal(
            s,
            rng=random.Random(seed),
            proposals=3000,
            deadline=time.monotonic() + 60,
            start=0.8,
            end=0.05,
            penalty=0.5,
            floor=floor,
        )
        if result.in_band is None:
            continue
        found += 1
        assert result.in_band_cost < start_cost
        s.restore(result.in_band)
        assert s.oob[0] <= floor[0] and s.oob[1] <= floor[1] and s.oob[2] <= floor[2]
        assert abs(s.cost - result.in_band_cost) < 1e-9  # the remembered cost is the plan's own
        for rl in range(3):
            assert sorted(i for t in s.at[rl] for i in t) == list(range(24))
            assert sorted(len(t) for t in s.at[rl]) == [6, 6, 6, 6]
    assert found
