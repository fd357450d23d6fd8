"""The annealing's moves: a band-safe double swap never changes a table's counts."""

from __future__ import annotations

import random

from deliberation.engine.api import repeated_pairs
from deliberation.engine.prepare import prepare
from deliberation.engine.search import _Best, _compound, compound_partners
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
