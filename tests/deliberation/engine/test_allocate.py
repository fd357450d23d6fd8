"""The engine on random rooms: hard rules, kept rounds, determinism, named conflicts, best balance."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deliberation.engine import ConflictingRules, SeatRule, TableProblem, allocate, explain
from deliberation.engine.model import InvalidInput

from .helpers import assert_hard_rules, room, rules

FAST = {"time_limit": 5.0, "effort": 0.02}
quick = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rooms(draw, max_members: int = 14) -> TableProblem:
    tables = draw(st.integers(2, 4))
    n = draw(st.integers(tables, max_members))
    width = draw(st.integers(1, 2))
    values = [tuple(draw(st.sampled_from("xyz")) for _ in range(width)) for _ in range(n)]
    rounds = draw(st.integers(1, 3))
    ids = [f"m{k}" for k in range(n)]
    pins = []
    for member in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        allowed = draw(st.sets(st.integers(1, tables), min_size=1, max_size=tables))
        when = draw(st.one_of(st.none(), st.integers(1, rounds)))
        pins.append(SeatRule(member, frozenset(allowed), when))
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
    apart = [(a, b) for a, b in pairs if a != b]
    return room(values, tables, rounds, rules=pins, apart=apart)


@quick
@given(rooms(), st.integers(0, 3))
def test_every_hard_rule_holds_in_every_round(problem, seed):
    try:
        plan = allocate(problem, seed=seed, **FAST)
    except ConflictingRules:
        return  # the rules may contradict each other; test_conflicts_are_named covers the message
    assert_hard_rules(problem, plan)
    attributes = {m.id: m.attributes for m in problem.members}
    assert plan.explanation == explain(plan.rounds, attributes, problem.mix)


@quick
@given(rooms(), st.data())
def test_keep_never_changes_a_kept_round_nor_seats_an_absent_member(problem, data):
    problem = TableProblem(problem.members, problem.tables, max(problem.rounds, 2), problem.mix)
    first = allocate(problem, seed=1, **FAST)
    start = data.draw(st.integers(2, problem.rounds))
    ids = [m.id for m in problem.members]
    absent = data.draw(st.sets(st.sampled_from(ids), max_size=len(ids) - problem.tables))
    again = TableProblem(
        problem.members,
        problem.tables,
        problem.rounds,
        problem.mix,
        kept=first.rounds[: start - 1],
        absent=frozenset(absent),
    )
    plan = allocate(again, seed=2, **FAST)
    assert plan.rounds[: start - 1] == first.rounds[: start - 1]
    for tables in plan.rounds[start - 1 :]:
        assert not absent & {m for t in tables for m in t}
    assert_hard_rules(again, plan)


@settings(max_examples=10, deadline=None)
@given(rooms())
def test_the_same_seed_gives_the_same_plan(problem):
    try:
        one = allocate(problem, seed=7, time_limit=30, effort=0.05)
    except ConflictingRules:
        return
    two = allocate(problem, seed=7, time_limit=30, effort=0.05)
    assert one.complete and two.complete
    assert one.rounds == two.rounds


@quick
@given(st.integers(2, 5), st.integers(2, 4), st.integers(0, 3))
def test_conflicts_are_named(tables, size, extra):
    # size*tables members; table 1 seats `size`, so size + 1 + extra pinned there cannot all sit.
    n = tables * size
    pinned = size + 1 + min(extra, n - size - 1)
    problem = room([("x",)] * n, tables, 2, rules=rules(*((f"m{k}", {1}, None) for k in range(pinned))))
    with pytest.raises(ConflictingRules) as error:
        allocate(problem, **FAST)
    assert str(error.value).startswith(f"{pinned} members may only sit at table 1, which seats {size}")


def test_pinned_kept_apart_pair_is_named():
    problem = room([("x",)] * 6, 2, 1, rules=rules(("m0", {2}, None), ("m1", {2}, 1)), apart=[("m1", "m0")])
    with pytest.raises(
        ConflictingRules, match="'m0' and 'm1' are kept apart but may both only sit at table 2"
    ):
        allocate(problem, **FAST)


def test_more_mutually_apart_members_than_tables_is_named():
    apart = [("m0", "m1"), ("m0", "m2"), ("m1", "m2")]
    with pytest.raises(
        ConflictingRules, match=r"3 members .* are all kept apart from one another, but there are only 2"
    ):
        allocate(room([("x",)] * 6, 2, 1, apart=apart), **FAST)


def test_bad_input_is_refused_in_plain_words():
    with pytest.raises(InvalidInput, match="kept apart from themselves"):
        allocate(room([("x",)] * 4, 2, 1, apart=[("m1", "m1")]), **FAST)
    with pytest.raises(InvalidInput, match="3 members are present for 4 tables"):
        allocate(room([("x",)] * 3, 4, 1), **FAST)
    with pytest.raises(InvalidInput, match=r"table 3 is out of range 1\.\.2"):
        allocate(room([("x",)] * 4, 2, 1, rules=rules(("m0", {3}, None))), **FAST)


def _best_possible_out_of_band(problem: TableProblem) -> int:
    """Exhaustive: every seating of one round that obeys the hard rules."""
    ids = [m.id for m in problem.members]
    attributes = {m.id: m.attributes for m in problem.members}
    small, big = divmod(len(ids), problem.tables)
    best = None
    for choice in itertools.product(range(problem.tables), repeat=len(ids)):
        sizes = sorted(choice.count(t) for t in range(problem.tables))
        if sizes != [small] * (problem.tables - big) + [small + 1] * big:
            continue
        tables = [[m for m, t in zip(ids, choice, strict=True) if t == n] for n in range(problem.tables)]
        where = dict(zip(ids, choice, strict=True))
        if any(where[r.member] + 1 not in r.tables for r in problem.rules):
            continue
        if any(where[a] == where[b] for a, b in problem.apart):
            continue
        cells = len(explain([tables], attributes, problem.mix).out_of_band_cells)
        best = cells if best is None else min(best, cells)
    assert best is not None
    return best


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_balance_is_the_best_the_room_allows(data):
    tables = data.draw(st.integers(2, 3))
    n = data.draw(st.integers(tables * 2, 8 if tables == 3 else 10))
    values = [tuple(data.draw(st.sampled_from("xyz")) for _ in range(2)) for _ in range(n)]
    pins = rules(*((f"m{k}", {1}, None) for k in range(data.draw(st.integers(0, n // tables - 1)))))
    problem = room(values, tables, 1, rules=pins, apart=[(f"m{n - 2}", f"m{n - 1}")])
    plan = allocate(problem, seed=0, **FAST)
    assert plan.explanation.out_of_band == _best_possible_out_of_band(problem)
