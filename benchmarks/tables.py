"""Benchmark the table allocation engine against what desktop tools do, in one run.

    .venv/bin/python benchmarks/tables.py [--rooms 150x15x8x3,96x12x6x4,500x50x6x4]
        [--seed 1] [--orders 100] [--shuffles 20] [--time-limit auto] [--frontier] [--repeat N]

Each room is generated from realistic shares (gender, age band, area, attitude),
with a few step-free and interpreted seats and a few pairs kept apart. Per room
it runs: random shuffles (the best of ``--shuffles``); shuffle-and-greedy (per
round, ``--orders`` random orders with restricted members first; each member
goes to the open table their rules allow that minimises 10 x earlier meetings
with its members + members there sharing each of their values; the order with
the fewest repeated pairs, then fewest out-of-band cells, is kept); and the
engine with its time limit (10 s, or 60 s from 300 members). With
``--frontier`` the engine also runs with balance switched off (no attribute to
mix) to show what the band costs in repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deliberation.engine import Member, SeatRule, TableProblem, allocate, explain

SHARES = {
    "gender": {"female": 0.51, "male": 0.48, "non-binary": 0.01},
    "age": {"16-24": 0.14, "25-39": 0.25, "40-54": 0.25, "55-69": 0.22, "70+": 0.14},
    "area": {"city": 0.45, "town": 0.30, "village": 0.15, "remote": 0.10},
    "attitude": {"concerned": 0.40, "neutral": 0.35, "sceptical": 0.25},
}


def generate_room(members: int, tables: int, rounds: int, attributes: int, seed: int) -> TableProblem:
    """A room: ~2 % need a step-free table (the first fifth), 2 or 3 the interpreted table (the last)."""
    rng = random.Random(seed)
    names = list(SHARES)[:attributes]
    people = [
        Member(
            f"m{k:04d}",
            {a: rng.choices(list(SHARES[a]), weights=list(SHARES[a].values()))[0] for a in names},
        )
        for k in range(members)
    ]
    ids = [m.id for m in people]
    step_free, interpreted = max(2, members // 50), 2 if members < 300 else 3
    pinned = rng.sample(ids, step_free + interpreted)
    step_free_tables = frozenset(range(1, max(2, tables // 5) + 1))
    rules = [SeatRule(m, step_free_tables) for m in pinned[:step_free]]
    rules += [SeatRule(m, frozenset({tables})) for m in pinned[step_free:]]
    others = [i for i in ids if i not in set(pinned)]
    apart = [tuple(rng.sample(others, 2)) for _ in range(max(2, members // 40))]
    return TableProblem(people, tables, rounds, names, rules, apart)  # type: ignore[arg-type]


class _Room:
    """Plain indices for the two baselines."""

    def __init__(self, problem: TableProblem) -> None:
        self.n = len(problem.members)
        self.ids = [m.id for m in problem.members]
        index = {m: i for i, m in enumerate(self.ids)}
        self.values = [[m.attributes[a] for a in problem.mix] for m in problem.members]
        self.allowed: dict[int, set[int]] = {}
        for rule in problem.rules:
            self.allowed[index[rule.member]] = {t - 1 for t in rule.tables}
        self.apart: dict[int, set[int]] = {}
        for a, b in problem.apart:
            self.apart.setdefault(index[a], set()).add(index[b])
            self.apart.setdefault(index[b], set()).add(index[a])
        self.tables = problem.tables
        self.small, self.big = divmod(self.n, problem.tables)


def _greedy_order(room: _Room, order: list[int], met: list[Counter[int]]) -> list[list[int]] | None:
    tables: list[list[int]] = [[] for _ in range(room.tables)]
    where: dict[int, int] = {}
    bigs = 0
    for i in order:
        cap = room.small + (1 if bigs < room.big else 0)
        best, best_score = -1, 0
        for t in sorted(room.allowed.get(i, range(room.tables))):
            table = tables[t]
            if len(table) >= cap or any(where.get(j) == t for j in room.apart.get(i, ())):
                continue
            score = 10 * sum(met[i][k] for k in table) + sum(
                1 for k in table for a, v in enumerate(room.values[i]) if room.values[k][a] == v
            )
            if best < 0 or score < best_score:
                best, best_score = t, score
        if best < 0:
            return None
        tables[best].append(i)
        where[i] = best
        bigs += len(tables[best]) == room.small + 1
    return tables


def shuffle_and_greedy(problem: TableProblem, *, orders: int, seed: int) -> list[list[list[str]]]:
    room = _Room(problem)
    rng = random.Random(seed)
    met: list[Counter[int]] = [Counter() for _ in range(room.n)]
    attributes = {m.id: m.attributes for m in problem.members}
    plan: list[list[list[str]]] = []
    for _ in range(problem.rounds):
        best, best_key = None, None
        for _ in range(orders):
            restricted = [i for i in range(room.n) if i in room.allowed]
            rest = [i for i in range(room.n) if i not in room.allowed]
            rng.shuffle(restricted)
            rng.shuffle(rest)
            tables = _greedy_order(room, restricted + rest, met)
            if tables is None:
                continue
            repeats = sum(1 for t in tables for x in t for y in t if x < y and met[x][y])
            named = [[room.ids[i] for i in t] for t in tables]
            key = (repeats, len(explain([named], attributes, problem.mix).out_of_band_cells))
            if best_key is None or key < best_key:
                best, best_key = tables, key
        assert best is not None, "no order seated everyone"
        for table in best:
            for x in table:
                for y in table:
                    if x != y:
                        met[x][y] += 1
        plan.append([[room.ids[i] for i in t] for t in best])
    return plan


def random_shuffles(problem: TableProblem, *, shuffles: int, seed: int) -> list[list[list[str]]]:
    """The best (fewest repeats) of ``shuffles`` plans dealt at random, rules ignored."""
    rng = random.Random(seed)
    ids = [m.id for m in problem.members]
    best, best_repeats = None, None
    attributes = {m.id: m.attributes for m in problem.members}
    for _ in range(shuffles):
        plan = []
        for _ in range(problem.rounds):
            order = list(ids)
            rng.shuffle(order)
            plan.append([order[t :: problem.tables] for t in range(problem.tables)])
        repeats = explain(plan, attributes, []).repeated_pairs
        if best_repeats is None or repeats < best_repeats:
            best, best_repeats = plan, repeats
    assert best is not None
    return best


def first_rounds_repeats(plan: list[list[list[str]]], rounds: int) -> int:
    return explain(plan[:rounds], {}, []).repeated_pairs if rounds else 0


def row(name: str, plan: list[list[list[str]]], problem: TableProblem, seconds: float) -> str:
    attributes = {m.id: m.attributes for m in problem.members}
    e = explain(plan, attributes, problem.mix)
    cells = (
        len(plan) * problem.tables * sum(len({m.attributes[a] for m in problem.members}) for a in problem.mix)
    )
    return (
        f"| {name:<22} | {e.repeated_pairs:>8} | {first_rounds_repeats(plan, 3):>10} | "
        f"{e.out_of_band:>5} of {cells:<5} | {e.distinct_met_mean:>8.1f} | {seconds:>7.2f} |"
    )


def bench_room(spec: str, args: argparse.Namespace) -> None:
    n, t, r, a = (int(x) for x in spec.split("x"))
    problem = generate_room(n, t, r, a, args.seed)
    limit = args.time_limit or (10.0 if n < 300 else 60.0)
    print(f"\n{n} members, {t} tables, {r} rounds, {a} attributes (engine --time-limit {limit:g})")
    print("| method                 | repeated | in rounds  | out of band   | met mean | seconds |")
    print("|                        |    pairs |   1-3      | cells         |          |         |")
    print("|------------------------|----------|------------|---------------|----------|---------|")
    started = time.monotonic()
    plan = random_shuffles(problem, shuffles=args.shuffles, seed=args.seed)
    print(row(f"random (best of {args.shuffles})", plan, problem, time.monotonic() - started), flush=True)
    started = time.monotonic()
    plan = shuffle_and_greedy(problem, orders=args.orders, seed=args.seed)
    greedy_repeats = explain(plan, {}, []).repeated_pairs
    print(row("shuffle-and-greedy", plan, problem, time.monotonic() - started), flush=True)
    result = allocate(problem, seed=args.seed, time_limit=limit)
    print(row("engine", result.rounds, problem, result.seconds), flush=True)
    if args.repeat > 1:  # the machine is shared: the time limit cuts a loaded run shorter
        runs = [result.explanation.repeated_pairs]
        for k in range(1, args.repeat):
            again = allocate(problem, seed=args.seed + k, time_limit=limit)
            print(row(f"engine, seed {args.seed + k}", again.rounds, problem, again.seconds), flush=True)
            runs.append(again.explanation.repeated_pairs)
        print(f"engine: repeated pairs over {args.repeat} seeds {runs}, median {statistics.median(runs):g}")
    ratio = result.explanation.repeated_pairs / max(greedy_repeats, 1)
    print(
        f"engine: first valid plan after {result.first_valid_seconds:.2f} s; "
        f"{'converged' if result.complete else 'stopped at the time limit'}; "
        f"repeats {ratio:.2f} x shuffle-and-greedy"
    )
    if args.frontier:
        unbalanced = TableProblem(
            problem.members, problem.tables, problem.rounds, [], problem.rules, problem.apart
        )
        free = allocate(unbalanced, seed=args.seed, time_limit=limit)
        print(row("engine, no band", free.rounds, problem, free.seconds), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default="150x15x8x3,96x12x6x4,500x50x6x4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--shuffles", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--frontier", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="engine runs with seeds seed, seed+1, ...")
    args = parser.parse_args()
    for spec in args.rooms.split(","):
        bench_room(spec, args)


if __name__ == "__main__":
    main()
