"""Rounds 1-3 repeat no meeting but those the pinned seats force."""

from __future__ import annotations

import random
import time

from deliberation.engine import SeatRule, allocate, explain
from deliberation.engine.api import early_repeats, forced_early_repeats
from deliberation.engine.prepare import prepare
from deliberation.engine.seating import Seating, round_weights

from .helpers import assert_hard_rules, room


def _values(n: int, seed: int) -> list[tuple[str, ...]]:
    rng = random.Random(seed)
    return [(rng.choice("fm"), rng.choice("abc"), rng.choice("xyz")) for _ in range(n)]


def test_two_members_pinned_to_one_table_force_one_repeat_per_round_after_the_first():
    pinned = [
        SeatRule("m0", frozenset({3})),
        SeatRule("m1", frozenset({3})),
        SeatRule("m2", frozenset({1, 2})),
    ]
    problem = room(_values(12, 1), 3, 5, rules=pinned)
    s = Seating(prepare(problem), round_weights(5, 1.0))
    assert forced_early_repeats(s) == 2  # m0 and m1 meet in rounds 1, 2 and 3; m2 has a choice
    dealt = [[0, 1, 3, 4], [2, 5, 6, 7], [8, 9, 10, 11]]
    for rl in range(5):
        s.place(rl, dealt)
    assert early_repeats(s) == 3 * 6 * 2  # the 6 pairs at each of 3 tables meet again in rounds 2 and 3


def test_the_first_three_rounds_repeat_only_what_the_pinned_seats_force():
    pinned = [
        SeatRule("m0", frozenset({6})),
        SeatRule("m1", frozenset({6})),
        SeatRule("m2", frozenset({1, 2})),
    ]
    # 60 members at 10 tables of 6: rounds without any repeat exist (not so with fewer tables than seats)
    problem = room(_values(60, 2), 10, 5, rules=pinned, apart=[("m3", "m4")])
    for seed in range(3):
        plan = allocate(problem, seed=seed, time_limit=30, effort=0.05)
        assert_hard_rules(problem, plan)
        assert explain(plan.rounds[:3], {}, []).repeated_pairs == 2


def test_a_deal_of_the_first_rounds_that_repeats_more_than_forced_is_dealt_again(monkeypatch):
    import deliberation.engine.api as api

    pinned = [SeatRule("m0", frozenset({10})), SeatRule("m1", frozenset({10}))]
    problem = room(_values(60, 3), 10, 4, rules=pinned)
    s = Seating(prepare(problem), round_weights(4, 1.0))
    real, calls = api._deal, []

    def first_deal_copies_round_one(s, rl, rng, **options):
        calls.append(rl)
        if len(calls) in (2, 3):  # the first attempt seats rounds 2 and 3 as round 1: 30 repeats each
            s.place(rl, [list(t) for t in s.at[0]])
        else:
            real(s, rl, rng, **options)

    monkeypatch.setattr(api, "_deal", first_deal_copies_round_one)
    api._construct(s, random.Random(1), seed=1, deadline=time.monotonic() + 60, program=True)
    assert calls[:6] == [0, 1, 2, 0, 1, 2]  # rounds 1-3 dealt twice, then round 4
    assert early_repeats(s) == forced_early_repeats(s) == 2


def test_a_deal_the_repairs_leave_out_of_band_takes_the_balance_programs_seating_and_is_mixed(monkeypatch):
    import deliberation.engine.api as api

    problem = room(_values(60, 4), 10, 4)
    s = Seating(prepare(problem), round_weights(4, 1.0))
    deadline = time.monotonic() + 60
    api._deal(s, 0, random.Random(1), seed=1, deadline=deadline, per_round=0, program=True)
    assert s.oob[0] == 0 and api.repeated_pairs(s) == 0
    # round 2 dealt sorted by profile (every table out of band), with both repairs switched off
    by_profile = sorted(range(60), key=lambda i: s.room.cells[i])
    monkeypatch.setattr(
        api, "greedy_round", lambda s, rl, rng: [by_profile[6 * t : 6 * t + 6] for t in range(10)]
    )
    monkeypatch.setattr(api, "targeted_repair", lambda *args, **options: None)
    monkeypatch.setattr(api, "repair", lambda *args, **options: None)
    api._deal(s, 1, random.Random(1), seed=1, deadline=deadline, per_round=0, program=True)
    assert s.oob[1] == 0  # the balance program's seating, not left for later
    assert api.repeated_pairs(s) == 0  # and mixed against round 1 like any deal
