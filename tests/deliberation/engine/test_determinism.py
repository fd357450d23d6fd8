"""The same seed gives the same plan even when the machine is busy: the engine counts work, not time."""

from __future__ import annotations

import random
import threading
import time

from deliberation.engine import SeatRule, allocate

from .helpers import assert_hard_rules, room


def _mid_room():
    """48 members, 6 tables of 8, 4 rounds, 3 attributes, a pinned member and a kept-apart pair."""
    rng = random.Random(5)
    values = [
        (rng.choice("ffmmx"), rng.choice(["16-34", "35-54", "55+"]), rng.choice(["city", "town", "rural"]))
        for _ in range(48)
    ]
    return room(values, 6, 4, rules=[SeatRule("m3", frozenset({6}))], apart=[("m1", "m2")])


def _burn(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(k * k for k in range(10_000))


def test_the_same_seed_gives_the_same_plan_while_another_thread_burns_cpu():
    problem = _mid_room()
    calm = allocate(problem, seed=3, time_limit=120, effort=0.3)
    stop = threading.Event()
    burner = threading.Thread(target=_burn, args=(stop,), daemon=True)
    burner.start()
    try:
        started = time.monotonic()
        busy = allocate(problem, seed=3, time_limit=120, effort=0.3)
        slower = time.monotonic() - started
    finally:
        stop.set()
        burner.join()
    assert calm.complete and busy.complete, "the time limit, a last resort, was reached"
    assert busy.rounds == calm.rounds
    assert busy.explanation == calm.explanation
    assert_hard_rules(problem, busy)
    assert slower < 60  # the test stays quick even when the burner halves the engine's share
