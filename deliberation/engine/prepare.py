"""Checks a TableProblem and turns it into integer-indexed data for the solvers."""

from __future__ import annotations

from dataclasses import dataclass

from .explain import band
from .model import InvalidInput, TableProblem

MAX_ROUNDS = 60


@dataclass
class Round:
    """One round to compute: who is present, who may sit where, the bands."""

    index: int  # 0-based
    present: list[int]
    allowed: dict[int, frozenset[int]]  # member -> 0-based tables (absent: every table)
    sources: dict[int, list[str]]  # member -> where their rules come from
    small: int  # q: the smaller table size
    big: int  # tables of size q + 1
    low: tuple[list[int], list[int]]  # [is_big][cell] smallest in-band count
    high: tuple[list[int], list[int]]


@dataclass
class Room:
    ids: list[str]
    tables: int
    rounds: int
    mix: list[str]
    values: list[list[str]]  # per attribute, its values (sorted)
    cells: list[list[int]]  # per member, the flat (attribute, value) cell index per attribute
    cell_count: int
    apart: list[list[int]]  # per member, the members kept apart from them
    kept: list[list[list[int]]]  # rounds already held, as member indices
    free: list[Round]


def _index(problem: TableProblem) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, member in enumerate(problem.members):
        if member.id in index:
            raise InvalidInput(f"the member id {member.id!r} appears twice.")
        index[member.id] = i
    return index


def _check_shape(problem: TableProblem) -> None:
    if problem.tables < 1:
        raise InvalidInput("there must be at least one table.")
    if not 1 <= problem.rounds <= MAX_ROUNDS:
        raise InvalidInput(f"the number of rounds must be between 1 and {MAX_ROUNDS}.")
    if len(problem.kept) > problem.rounds:
        raise InvalidInput(
            f"{len(problem.kept)} rounds are kept but the plan has only {problem.rounds} rounds."
        )
    for member in problem.members:
        for attribute in problem.mix:
            if attribute not in member.attributes:
                raise InvalidInput(f"member {member.id!r} has no value for {attribute!r}.")


def _kept(problem: TableProblem, index: dict[str, int]) -> list[list[list[int]]]:
    kept = []
    for r, tables in enumerate(problem.kept, start=1):
        if len(tables) != problem.tables:
            raise InvalidInput(f"kept round {r} has {len(tables)} tables, not {problem.tables}.")
        seen: set[str] = set()
        for number, table in enumerate(tables, start=1):
            for member in table:
                if member not in index:
                    raise InvalidInput(f"kept round {r}, table {number}: unknown member id {member!r}.")
                if member in seen:
                    raise InvalidInput(f"kept round {r}: member {member!r} sits at two tables.")
                seen.add(member)
        kept.append([[index[m] for m in table] for table in tables])
    return kept


def _apart(problem: TableProblem, index: dict[str, int]) -> list[list[int]]:
    apart: list[set[int]] = [set() for _ in problem.members]
    for a, b in problem.apart:
        for member in (a, b):
            if member not in index:
                raise InvalidInput(f"kept-apart pair ({a}, {b}): unknown member id {member!r}.")
        if a == b:
            raise InvalidInput(f"member {a!r} is kept apart from themselves.")
        apart[index[a]].add(index[b])
        apart[index[b]].add(index[a])
    return [sorted(s) for s in apart]


def _rules(problem: TableProblem, index: dict[str, int], first: int) -> list[dict[int, set[int]]]:
    """Per computed round, the allowed tables of each restricted member (rules intersect)."""
    allowed: list[dict[int, set[int]]] = [{} for _ in range(first, problem.rounds)]
    for rule in problem.rules:
        where = f" ({rule.source})" if rule.source else ""
        if rule.member not in index:
            raise InvalidInput(f"seat rule{where}: unknown member id {rule.member!r}.")
        if not rule.tables:
            raise InvalidInput(f"seat rule{where}: no table listed for {rule.member!r}.")
        bad = sorted(t for t in rule.tables if not 1 <= t <= problem.tables)
        if bad:
            raise InvalidInput(f"seat rule{where}: table {bad[0]} is out of range 1..{problem.tables}.")
        if rule.round is not None and not 1 <= rule.round <= problem.rounds:
            raise InvalidInput(f"seat rule{where}: round {rule.round} is out of range 1..{problem.rounds}.")
        rounds = range(first, problem.rounds) if rule.round is None else [rule.round - 1]
        for r in rounds:
            if r < first:
                continue  # a kept round stays as it was
            i = index[rule.member]
            tables = {t - 1 for t in rule.tables}
            mine = allowed[r - first]
            mine[i] = mine[i] & tables if i in mine else tables
    return allowed


def _bands(
    present: list[int], cells: list[list[int]], count: int, small: int
) -> tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]]:
    holders = [0] * count
    for i in present:
        for c in cells[i]:
            holders[c] += 1
    n = len(present)
    low0, low1, high0, high1 = (
        [band(h, s, n)[k] if h else 0 for h in holders] for k in (0, 1) for s in (small, small + 1)
    )
    return (low0, low1), (high0, high1)


def prepare(problem: TableProblem) -> Room:
    _check_shape(problem)
    index = _index(problem)
    kept = _kept(problem, index)
    apart = _apart(problem, index)
    for member in problem.absent:
        if member not in index:
            raise InvalidInput(f"absent member: unknown id {member!r}.")
    mix = list(problem.mix)
    values = [sorted({m.attributes[a] for m in problem.members}) for a in mix]
    offsets = [sum(len(v) for v in values[:k]) for k in range(len(mix))]
    cells = [
        [offsets[k] + values[k].index(m.attributes[a]) for k, a in enumerate(mix)] for m in problem.members
    ]
    cell_count = sum(len(v) for v in values)
    first = len(kept)
    rules = _rules(problem, index, first)
    sources: dict[int, list[str]] = {}
    for rule in problem.rules:
        sources.setdefault(index[rule.member], []).append(rule.source)
    present = [i for i, m in enumerate(problem.members) if m.id not in problem.absent]
    if first < problem.rounds and len(present) < problem.tables:
        raise InvalidInput(f"{len(present)} members are present for {problem.tables} tables.")
    here = set(present)
    free = []
    for r in range(first, problem.rounds):
        small, big = divmod(len(present), problem.tables)
        low, high = _bands(present, cells, cell_count, small)
        allowed = {i: frozenset(t) for i, t in rules[r - first].items() if i in here}
        free.append(Round(r, present, allowed, sources, small, big, low, high))
    ids = [m.id for m in problem.members]
    return Room(ids, problem.tables, problem.rounds, mix, values, cells, cell_count, apart, kept, free)
