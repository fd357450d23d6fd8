"""allocate(): the engine's entry point."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .balance import best_balance
from .construct import from_balance, greedy_round
from .explain import explain
from .feasibility import check_round
from .mixing import improve
from .model import ConflictingRules, Progress, ProgressCallback, TableError, TablePlan, TableProblem
from .prepare import Room
from .search import anneal, repair, targeted_repair
from .seating import Seating, round_weights

# Tuned on the benchmark rooms (benchmarks/tables.py): proposals per member and round,
# temperatures in units of one repeated meeting, and how much an early repeat outweighs a late one.
PROPOSALS_PER_SEAT = 500  # half to the penalty phase; 750 hit the 10 s limit on the 150 room
START_TEMPERATURE = 0.8
END_TEMPERATURE = 0.05
EARLY_WEIGHT = (
    2.0  # a repeat in round 1 weighs 3, in the last round 1 (150 room, seeds 1-3: 245 -> 240 median)
)
REPAIR_PROPOSALS = 400
SOFT_SHARE = 0.5  # penalty-phase share of the proposals (150 room, seeds 1-3: 266,264,262 -> 241,249,259)
SEQUENTIAL_SHARE = 0.5  # per-round annealing when the room is too big for the programs
PENALTY = 2.0
PENALTY_GROWTH = (
    0.0  # the price of a seat out of band grows by PENALTY * this each cycle (growth measured no better)
)
SOFT_FROM = 3  # rounds 1-3 stay as the programs dealt them (their repeats weigh most)
SOFT_CYCLES = (
    2  # two cycles at one price, each from the best plan so far (96 room, seeds 1-3: 81 -> 79 median)
)
IN_BAND_TRACK = 1  # the penalty phase remembers the cheapest plan it crosses with every round in band
FINISH_SHARE = 0.2
FINISH_LATE = 1  # the last annealing leaves rounds 1-3 as the programs dealt them, too
FINISH_TEMPERATURE = 0.1
PASSES = 0  # whole-round programs after the deal: 3 s on the 96 room for 0-8 fewer repeats; off
PROGRAM_COLUMNS = 6000  # larger programs cost 1-5 s each for little (their root LP dominates)
PROGRAM_NODES = 1  # the root node only: on the benchmark rooms 500 nodes (20-50 s) found nothing better
EARLY_TRIES = (
    4  # deals of rounds 1-3 while they repeat more than the pinned seats force (more nodes did not help)
)
PROGRAM_SEATS = 4000  # members x tables above which a whole-round program is too big to help in time
MAX_PROPOSALS = 2_000_000  # about 20 s of annealing: keeps the 500 room's work inside its minute


def repeated_pairs(s: Seating) -> int:
    total = 0
    for row in s.masks:
        for mask in row:
            if mask & (mask - 1):
                total += mask.bit_count() - 1
    return total // 2


def _deal(
    s: Seating,
    rl: int,
    rng: random.Random,
    *,
    seed: int,
    deadline: float,
    per_round: int,
    program: bool,
) -> None:
    """Seat round rl greedily, repair its balance at the least cost in repeats, then mix it."""
    room, rnd = s.room, s.rounds[rl]
    check_round(room, rnd)
    tables = None
    for _ in range(3):
        tables = greedy_round(s, rl, rng)
        if tables is not None:
            break
    if tables is None:
        tables = from_balance(s, rl, _balance(s, rl, seed=seed, deadline=deadline), rng)
    s.place(rl, tables)
    targeted_repair(s, rl, rng=rng, deadline=deadline)
    if s.oob[rl]:
        repair(s, rl, rng=rng, proposals=REPAIR_PROPOSALS * len(rnd.present), deadline=deadline)
    if s.oob[rl] and time.monotonic() < deadline:
        # still out of band: the balance program's seating, mixed below like any deal
        # (left to the end, a round re-dealt this way kept its repeats: 96 room, seed 3)
        balanced = _balance(s, rl, seed=seed, deadline=deadline)
        if balanced.out_of_band < s.oob[rl]:
            s.place(rl, from_balance(s, rl, balanced, rng))
    if program and deadline - time.monotonic() <= 0.05:
        s.cut_short = True  # the time limit, a last resort, skips this round's program
    elif program:
        # the fewest repeats with the earlier rounds, every table kept in band
        improve(
            s,
            rl,
            list(range(room.tables)),
            seed=seed,
            time_limit=deadline - time.monotonic(),
            nodes=PROGRAM_NODES,
            max_columns=PROGRAM_COLUMNS,
        )
    if per_round:  # mix this round against the earlier ones before dealing the next
        s.cut_short |= anneal(
            s,
            rng=rng,
            proposals=per_round,
            deadline=deadline,
            start=FINISH_TEMPERATURE,
            end=END_TEMPERATURE,
            rounds=[rl],
        ).stopped_by_time


def early_repeats(s: Seating) -> int:
    """Repeated meetings within rounds 1..SOFT_FROM (kept rounds included)."""
    first = (1 << SOFT_FROM) - 1
    total = 0
    for row in s.masks:
        for mask in row:
            m = mask & first
            if m & (m - 1):
                total += m.bit_count() - 1
    return total // 2


def forced_early_repeats(s: Seating) -> int:
    """Repeats within rounds 1..SOFT_FROM that the seat rules force: members pinned to
    the same single table meet every such round."""
    together: dict[tuple[int, int], int] = {}
    for rnd in s.rounds:
        if rnd.index >= SOFT_FROM:
            continue
        pinned: dict[int, list[int]] = {}
        for i, tables in rnd.allowed.items():
            if len(tables) == 1:
                pinned.setdefault(next(iter(tables)), []).append(i)
        for group in pinned.values():
            for a in group:
                for b in group:
                    if a < b:
                        together[a, b] = together.get((a, b), 0) + 1
    return sum(k - 1 for k in together.values() if k > 1)


def _construct(
    s: Seating,
    rng: random.Random,
    *,
    seed: int,
    deadline: float,
    per_round: int = 0,
    program: bool = False,
) -> None:
    """Deal each round in turn. Rounds 1..SOFT_FROM are dealt again (EARLY_TRIES times at
    most) while they repeat more meetings than the seat rules force; the best deal stays."""
    early = [rl for rl, rnd in enumerate(s.rounds) if rnd.index < SOFT_FROM]
    late = [rl for rl, rnd in enumerate(s.rounds) if rnd.index >= SOFT_FROM]
    if early:
        forced = forced_early_repeats(s)
        best: tuple[tuple[int, float], list[list[list[int]]]] | None = None
        # with tables larger than their number, round 2 must seat two of a round-1 table together
        biggest = max(rnd.small + (1 if rnd.big else 0) for rnd in s.rounds)
        for attempt in range(EARLY_TRIES if biggest <= s.room.tables else 1):
            if attempt:
                for rl in early:
                    s.clear(rl)
            for rl in early:
                _deal(s, rl, rng, seed=seed, deadline=deadline, per_round=per_round, program=program)
            key = (early_repeats(s), s.cost)
            if best is None or key < best[0]:
                best = (key, [[list(t) for t in s.at[rl]] for rl in early])
            if key[0] <= forced or time.monotonic() >= deadline:
                break
        assert best is not None
        if (early_repeats(s), s.cost) != best[0]:
            for rl, tables in zip(early, best[1], strict=True):
                s.place(rl, tables)
    for rl in late:
        _deal(s, rl, rng, seed=seed, deadline=deadline, per_round=per_round, program=program)


def _balance(s: Seating, rl: int, *, seed: int, deadline: float):
    rnd = s.rounds[rl]
    limit = max(deadline - time.monotonic(), 0.5)  # solved to the optimum: the time is a last resort
    try:
        balanced = best_balance(s.room, rnd, seed=seed, time_limit=limit)
    except TimeoutError:
        raise TableError(
            f"no seating of round {rnd.index + 1} was found within the time limit; allow more time."
        ) from None
    if balanced is None:
        raise ConflictingRules(
            f"the seat rules and kept-apart pairs cannot all hold in round {rnd.index + 1}: "
            "no seating gives every member an allowed table away from those they are kept apart from."
        )
    s.cut_short |= not balanced.optimal
    return balanced


def _rebalance(s: Seating, rng: random.Random, *, seed: int, deadline: float) -> None:
    """Bring each round to the best balance it allows: local repair, then the exact program."""
    for rl, rnd in enumerate(s.rounds):
        if not s.oob[rl]:
            continue
        repair(s, rl, rng=rng, proposals=REPAIR_PROPOSALS * len(rnd.present), deadline=deadline)
        if not s.oob[rl] or time.monotonic() >= deadline:
            continue
        try:
            balanced = best_balance(s.room, rnd, seed=seed, time_limit=max(deadline - time.monotonic(), 0.2))
        except TimeoutError:
            s.cut_short = True
            continue
        if balanced is not None:
            s.cut_short |= not balanced.optimal
        if balanced is not None and balanced.out_of_band < s.oob[rl]:
            s.place(rl, from_balance(s, rl, balanced, rng))


def _passes(s: Seating, *, seed: int, deadline: float) -> None:
    """Re-seat whole rounds against all the others, dearest round first, PASSES times at most."""
    room = s.room
    for _ in range(int(PASSES)):
        order = sorted(range(len(s.rounds)), key=lambda rl: -_round_cost(s, rl))
        kept = False
        for rl in order:
            left = deadline - time.monotonic()
            if left <= 0.05:
                s.cut_short = True
                return
            kept |= improve(
                s,
                rl,
                list(range(room.tables)),
                seed=seed,
                time_limit=left,
                nodes=PROGRAM_NODES,
                max_columns=PROGRAM_COLUMNS,
            )
        if not kept:
            return


def _round_cost(s: Seating, rl: int) -> float:
    r = s.rounds[rl].index
    return sum(s.leave_cost(i, table, r) for table in s.at[rl] for i in table)


def _as_ids(room: Room, tables_by_round: list[list[list[int]]]) -> list[list[list[str]]]:
    return [[[room.ids[i] for i in sorted(table)] for table in tables] for tables in tables_by_round]


def _soft_rounds(s: Seating) -> list[int]:
    """The rounds the penalty phase may reshuffle: not the first SOFT_FROM rounds,
    kept free of repeats by the mixing programs, unless there are no others."""
    late = [rl for rl, rnd in enumerate(s.rounds) if rnd.index >= SOFT_FROM]
    return late or list(range(len(s.rounds)))


def _soft_phase(
    s: Seating,
    rng: random.Random,
    seed: int,
    budget: int,
    deadline: float,
    time_limit: float,
    report: Callable[[str, Seating], None],
) -> bool:
    """Cycles of annealing that let cells leave the band at a price rising from
    cycle to cycle, each followed by repair and rebalancing of every round; a
    cycle is kept only when, back in band, it repeats less. True when the clock
    stopped it."""
    stopped = False
    for cycle in range(int(SOFT_CYCLES)):
        before, before_key = s.snapshot(), (sum(s.oob), s.cost)
        floor = list(s.oob)
        soft = anneal(
            s,
            rng=rng,
            proposals=int(budget * SOFT_SHARE / SOFT_CYCLES),
            deadline=deadline - FINISH_SHARE * time_limit,
            start=START_TEMPERATURE,
            end=END_TEMPERATURE,
            on_tick=lambda _: report("search", s),
            penalty=PENALTY * (1 + cycle * PENALTY_GROWTH),
            rounds=_soft_rounds(s),
            floor=floor if IN_BAND_TRACK else None,
        )
        stopped |= soft.stopped_by_time
        for rl in range(len(s.rounds)):
            s.oob[rl] = sum(s.band_misses(rl, t) for t in range(s.room.tables))
            targeted_repair(s, rl, rng=rng, deadline=deadline)
        _rebalance(s, rng, seed=seed, deadline=deadline)
        if soft.in_band is not None and (sum(floor), soft.in_band_cost) < (sum(s.oob), s.cost):
            s.restore(soft.in_band)  # a plan crossed in band beats the repaired one
        if (sum(s.oob), s.cost) >= before_key:  # never more cells out of band, nor more repeats
            s.restore(before)
        report("balance", s)
        if stopped:
            break
    return stopped


def allocate(
    problem: TableProblem,
    *,
    seed: int = 0,
    time_limit: float = 60.0,
    progress: ProgressCallback | None = None,
    effort: float = 1.0,
) -> TablePlan:
    """Seat every present member at one table per round; see the package docstring."""
    from .prepare import prepare

    started = time.monotonic()
    deadline = started + time_limit
    room = prepare(problem)

    def report(phase: str, s: Seating, rnd: int | None = None) -> None:
        if progress is not None:
            progress(
                Progress(phase, round(time.monotonic() - started, 3), rnd, repeated_pairs(s), sum(s.oob))
            )

    rng = random.Random(seed)
    s = Seating(room, round_weights(room.rounds, EARLY_WEIGHT))
    seats = sum(len(rnd.present) for rnd in s.rounds)
    budget = int(effort * min(PROPOSALS_PER_SEAT * seats, MAX_PROPOSALS))
    rounds_left = max(len(s.rounds), 1)
    programs = len(s.rounds) > 0 and len(s.rounds[0].present) * room.tables <= PROGRAM_SEATS
    _construct(
        s,
        rng,
        seed=seed,
        deadline=deadline,
        per_round=0 if programs else int(budget * SEQUENTIAL_SHARE / rounds_left),
        program=programs,
    )
    first_valid = time.monotonic() - started
    report("construct", s)
    _rebalance(s, rng, seed=seed, deadline=deadline)
    report("balance", s)
    if programs and len(s.rounds) > 1:
        _passes(s, seed=seed, deadline=deadline)
        report("search", s)
    soft = SOFT_SHARE if seats and room.cell_count else 0.0  # without a band there is nothing to soften
    stopped = soft > 0 and _soft_phase(s, rng, seed, budget, deadline, time_limit, report)
    result = None
    if seats:
        result = anneal(
            s,
            rng=rng,
            proposals=int(budget * (1 - soft)),
            deadline=deadline,
            start=FINISH_TEMPERATURE,
            end=END_TEMPERATURE,
            on_tick=lambda _: report("search", s),
            rounds=_soft_rounds(s) if FINISH_LATE else None,
        )
        stopped = stopped or result.stopped_by_time
    report("done", s)
    kept = [[[room.ids[i] for i in table] for table in tables] for tables in room.kept]
    rounds = kept + _as_ids(room, s.snapshot())
    attributes = {m.id: m.attributes for m in problem.members}
    return TablePlan(
        rounds=rounds,
        explanation=explain(rounds, attributes, room.mix),
        seed=seed,
        seconds=round(time.monotonic() - started, 3),
        complete=not stopped and not s.cut_short,
        first_valid_seconds=round(first_valid, 3),
        stats={"proposals": result.proposals if result else 0, "accepted": result.accepted if result else 0},
    )
