"""Re-seat some tables of one round for the fewest repeated meetings, by an integer program (HiGHS).

The members at the chosen tables of round r are dealt again among those
tables (each keeps its size), obeying every hard rule, keeping every cell of
those tables at least as close to its band as it was (so balance never gets
worse), and meeting as few people as possible again.

Repeats are counted by *groups*: every table of every other round (kept
rounds too) is a group of people who have met. If n members of one group sit
at the same table now, C(n, 2) pairs meet again; C(n, 2) is convex in n, so
it is written exactly as n <= 1 + u1 + u2 + ... with u_k in [0, 1] costing k
(the last one unbounded). A pair who met in two other rounds is counted once
per group, which only makes such pairs dearer. A group formed in round r'
costs the weight of a repeat in round max(r, r'), as in ``seating``.

Because the current seating is always a solution, the program starts from
it and never returns anything worse by its own measure; the caller still
compares the exact cost before keeping the result.

The work is bounded, not timed, so a seed gives the same seating under any
load: HiGHS runs its feasibility-jump heuristic (which finds the improvement on
these programs), the root node and at most ``nodes`` nodes, without its sub-MIP
heuristics. The time left only cuts a solve short as a last resort; the
seating then records it (``Seating.cut_short``).
"""

from __future__ import annotations

import numpy as np

from .balance import _Model
from .seating import Seating

PIECES = 4  # u1..u3 in [0, 1], then one unbounded piece: 4+ members of one group at a table are rare


def _band_rows(model: _Model, s: Seating, rl: int, tables: list[int], x: dict[tuple[int, int], int]) -> None:
    """Each cell of each table stays in band, or no further out than it is now."""
    rnd = s.rounds[rl]
    cells = s.room.cells
    members = [i for t in tables for i in s.at[rl][t]]
    holders: list[list[int]] = [[] for _ in range(s.room.cell_count)]
    for i in members:
        for c in cells[i]:
            holders[c].append(i)
    for k, t in enumerate(tables):
        big = s.big[rl][t]
        lo, hi = rnd.low[big], rnd.high[big]
        now = s.counts[rl][t]
        size = len(s.at[rl][t])
        for c, held in enumerate(holders):
            low, high = min(lo[c], now[c]), max(hi[c], now[c])
            if low <= 0 and high >= min(size, len(held)):
                continue  # no restriction here
            cols = [x[i, k] for i in held if (i, k) in x]
            model.row(low, high, cols, [1.0] * len(cols))


def _groups(s: Seating, rl: int, members: list[int]) -> list[tuple[list[int], float]]:
    """Groups of the chosen members who met at one table in another round, with their weight."""
    mine = set(members)
    r = s.rounds[rl].index
    found: list[tuple[list[int], float]] = []
    for tables in s.room.kept:  # kept rounds come first, so a repeat weighs w[r]
        for table in tables:
            group = [i for i in table if i in mine]
            if len(group) > 1:
                found.append((group, s.w[r]))
    for other, rnd in enumerate(s.rounds):
        if other == rl:
            continue
        weight = s.w[max(r, rnd.index)]
        for table in s.at[other]:
            group = [i for i in table if i in mine]
            if len(group) > 1:
                found.append((group, weight))
    return found


def build(s: Seating, rl: int, tables: list[int]) -> tuple[_Model, dict[tuple[int, int], int], np.ndarray]:
    """The program for re-seating ``tables`` of round ``rl``, and the current seating as its start."""
    rnd = s.rounds[rl]
    model = _Model()
    members = [i for t in tables for i in s.at[rl][t]]
    x: dict[tuple[int, int], int] = {}
    for i in members:
        allowed = rnd.allowed.get(i)
        for k, t in enumerate(tables):
            if allowed is None or t in allowed:
                x[i, k] = model.column(0, 1)
    for i in members:
        cols = [x[i, k] for k in range(len(tables)) if (i, k) in x]
        model.row(1, 1, cols, [1.0] * len(cols))
    for k, t in enumerate(tables):
        cols = [x[i, k] for i in members if (i, k) in x]
        size = len(s.at[rl][t])
        model.row(size, size, cols, [1.0] * len(cols))
    _band_rows(model, s, rl, tables, x)
    mine = set(members)
    for i in members:
        for j in s.room.apart[i]:
            if j > i and j in mine:
                for k in range(len(tables)):
                    if (i, k) in x and (j, k) in x:
                        model.row(-np.inf, 1, [x[i, k], x[j, k]], [1.0, 1.0])
    where = {i: k for k, t in enumerate(tables) for i in s.at[rl][t]}
    start: list[float] = [0.0] * len(model.lower)
    for (i, k), col in x.items():
        start[col] = 1.0 if where[i] == k else 0.0
    for group, weight in _groups(s, rl, members):
        for k in range(len(tables)):
            cols = [x[i, k] for i in group if (i, k) in x]
            if len(cols) < 2:
                continue
            pieces = min(len(cols) - 1, PIECES)
            u = [
                model.column(0, 1 if p < PIECES - 1 else np.inf, weight * (p + 1), integer=False)
                for p in range(pieces)
            ]
            model.row(-np.inf, 1, cols + u, [1.0] * len(cols) + [-1.0] * len(u))
            excess = sum(1 for i in group if where[i] == k) - 1
            start.extend([0.0] * pieces)
            for p, col in enumerate(u):
                start[col] = float(min(max(excess - p, 0), 1 if p < PIECES - 1 else excess))
    return model, x, np.asarray(start, float)


def reseat(
    s: Seating,
    rl: int,
    tables: list[int],
    *,
    seed: int,
    time_limit: float,
    nodes: int,
    max_columns: int | None = None,
) -> list[list[int]] | None:
    """The best re-seating the program finds for ``tables`` of round ``rl`` (same order), or None.

    None too when the program has more than ``max_columns`` columns: its root
    node alone would cost seconds (the work grows faster than its size).
    """
    model, x, start = build(s, rl, tables)
    if max_columns is not None and len(model.lower) > max_columns:
        return None
    status, values = model.solve(
        seed=seed, time_limit=time_limit, gap=1e-6, nodes=nodes, start=start, light=True
    )
    s.cut_short |= model.stopped_by_time
    if status not in ("optimal", "feasible"):
        return None
    seated: list[list[int]] = [[] for _ in tables]
    for (i, k), col in x.items():
        if values[col] > 0.5:
            seated[k].append(i)
    if sorted(len(t) for t in seated) != sorted(len(s.at[rl][t]) for t in tables):
        return None  # never trust a malformed answer
    return seated


def improve(
    s: Seating,
    rl: int,
    tables: list[int],
    *,
    seed: int,
    time_limit: float,
    nodes: int,
    max_columns: int | None = None,
) -> bool:
    """Re-seat ``tables`` of round ``rl`` when the program finds fewer weighted repeats; True if kept."""
    seated = reseat(s, rl, tables, seed=seed, time_limit=time_limit, nodes=nodes, max_columns=max_columns)
    if seated is None:
        return False
    before_cost, before_oob = s.cost, s.oob[rl]
    old = [list(table) for table in s.at[rl]]
    new = [list(table) for table in old]
    for k, t in enumerate(tables):
        new[t] = seated[k]
    s.place(rl, new)
    if s.oob[rl] > before_oob or s.cost > before_cost - 1e-9:
        s.place(rl, old)
        return False
    return True
