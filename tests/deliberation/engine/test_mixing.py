"""The mixing program: re-seating a round for the fewest repeats without losing balance."""

from __future__ import annotations

from deliberation.engine import SeatRule
from deliberation.engine.api import repeated_pairs
from deliberation.engine.mixing import improve
from deliberation.engine.prepare import prepare
from deliberation.engine.seating import Seating, round_weights

from .helpers import room


def _seated(values: list[tuple[str, ...]], tables: int, rounds: list[list[list[int]]], **extra) -> Seating:
    problem = room(values, tables, len(rounds), **extra)
    s = Seating(prepare(problem), round_weights(len(rounds), 1.0))
    for rl, seating in enumerate(rounds):
        s.place(rl, seating)
    return s


def test_a_round_repeating_the_last_one_is_reseated_with_the_fewest_repeats_and_stays_in_band():
    # 4 x and 4 y at 2 tables of 4: round 2 repeats round 1 (12 repeated pairs); the best
    # balanced round 2 takes two from each round-1 table to each table: 4 repeated pairs.
    values = [("x",), ("x",), ("y",), ("y",), ("x",), ("x",), ("y",), ("y",)]
    same = [[0, 1, 2, 3], [4, 5, 6, 7]]
    s = _seated(values, 2, [same, [list(t) for t in same]])
    assert repeated_pairs(s) == 12

    assert improve(s, 1, [0, 1], seed=1, time_limit=5.0, nodes=1000)

    assert repeated_pairs(s) == 4
    assert s.oob == [0, 0]
    for table in s.at[1]:
        assert sorted(values[i][0] for i in table) == ["x", "x", "y", "y"]


def test_the_program_keeps_seat_rules_and_kept_apart_pairs():
    values = [("x",)] * 9
    first = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    pinned = [SeatRule("m0", frozenset({1}))]
    s = _seated(values, 3, [first, [list(t) for t in first]], rules=pinned, apart=[("m3", "m6")])

    improve(s, 1, [0, 1, 2], seed=1, time_limit=5.0, nodes=1000)

    where = {i: t for t, table in enumerate(s.at[1]) for i in table}
    assert where[0] == 0  # m0 may only sit at table 1
    assert where[3] != where[6]
    assert repeated_pairs(s) == 0  # a 3x3 grid: the transposed round repeats nobody
