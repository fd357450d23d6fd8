"""The best balance a round allows, by an integer program over member types (HiGHS).

Members with the same attribute values and the same seat rule are
interchangeable for balance, so the program counts how many of each type sit
at each table instead of placing people: a few thousand integers even for 500
members. Members kept apart from someone get a type of their own so the
program can keep each pair at different tables. The result is exact: no
seating of the round has fewer tables out of band than the program's optimum
(when it finishes within its time limit).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import highspy
import numpy as np

from .prepare import Room, Round

_STATUS = highspy.HighsModelStatus


@dataclass
class BalancedRound:
    """Per table, the members of each type seated there (people still to be chosen)."""

    types: list[list[int]]  # type -> its members
    counts: list[dict[int, int]]  # table -> {type: how many}
    out_of_band: int
    optimal: bool


@contextlib.contextmanager
def _silent() -> Iterator[None]:
    # highspy writes a banner to file descriptor 1 on first construction.
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null, contextlib.redirect_stdout(io.StringIO()):
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _types(room: Room, rnd: Round) -> list[list[int]]:
    present = set(rnd.present)
    groups: dict[tuple, list[int]] = {}
    for i in rnd.present:
        separate = any(j in present for j in room.apart[i])
        key = (tuple(room.cells[i]), rnd.allowed.get(i), i if separate else -1)
        groups.setdefault(key, []).append(i)
    return [groups[k] for k in sorted(groups, key=lambda k: groups[k][0])]


class _Model:
    """Columns and rows collected in plain lists, then passed to HiGHS at once."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[float, float, list[int], list[float]]] = []
        self.stopped_by_time = False

    def column(self, low: float, high: float, cost: float = 0.0, integer: bool = True) -> int:
        self.lower.append(low)
        self.upper.append(high)
        self.cost.append(cost)
        self.integer.append(integer)
        return len(self.lower) - 1

    def row(self, low: float, high: float, index: list[int], value: list[float]) -> None:
        self.rows.append((low, high, index, value))

    def solve(
        self,
        *,
        seed: int,
        time_limit: float,
        gap: float = 0.99,
        nodes: int | None = None,
        start: np.ndarray | None = None,
        light: bool = False,
    ) -> tuple[str, np.ndarray]:
        """Solve with HiGHS on one thread, seeded; ``nodes`` caps the branch-and-bound work.

        The default ``gap``: the cells out of band are whole, the jitter is not worth proving.
        Every limit but ``time_limit`` counts work (nodes, solutions, effort), so a
        solve stops at the same point on any machine and under any load; the time
        limit is only a last resort (``stopped_by_time`` then says so). ``light``
        skips the sub-MIP heuristics (RINS, RENS, root reduced cost): on the mixing
        programs they took 95 % of the time and never improved on feasibility jump.
        """
        with _silent():
            h = highspy.Highs()
        options: list[tuple[str, bool | float | str]] = [
            ("output_flag", False),
            ("threads", 1),
            ("parallel", "off"),
            ("random_seed", seed % 2147483647),
            ("time_limit", max(time_limit, 0.05)),
            ("mip_rel_gap", 0.0),
            ("mip_abs_gap", gap),
        ]
        if nodes is not None:
            options += [("mip_max_nodes", nodes), ("mip_max_leaves", nodes)]
        if light:
            options += [
                ("mip_heuristic_run_rins", False),
                ("mip_heuristic_run_rens", False),
                ("mip_heuristic_run_root_reduced_cost", False),
            ]
        for name, option in options:
            h.setOptionValue(name, option)
        self._load(h)
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = [float(v) for v in start]
            h.setSolution(solution)
        with _silent():
            h.run()
        status = h.getModelStatus()
        self.stopped_by_time = status == _STATUS.kTimeLimit
        solved = h.getInfo().primal_solution_status == 2  # a feasible point exists
        if status == _STATUS.kInfeasible:
            return "infeasible", np.empty(0)
        if not solved:
            return "unknown", np.empty(0)
        values = np.asarray(h.getSolution().col_value, dtype=float)
        return ("optimal" if status == _STATUS.kOptimal else "feasible"), values

    def _load(self, h: highspy.Highs) -> None:
        """Columns (bounds, costs, integrality) and rows into the solver."""
        n = len(self.lower)
        inf = highspy.kHighsInf
        h.addVars(n, np.asarray(self.lower, float), np.asarray(self.upper, float))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(self.cost, float))
        kinds = highspy.HighsVarType
        h.changeColsIntegrality(
            n,
            np.arange(n, dtype=np.int32),
            np.asarray([kinds.kInteger if k else kinds.kContinuous for k in self.integer]),
        )
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for _, _, idx, val in self.rows:
            starts.append(len(index))
            index.extend(idx)
            value.extend(val)
        lows = [-inf if r[0] == -np.inf else r[0] for r in self.rows]
        highs = [inf if r[1] == np.inf else r[1] for r in self.rows]
        h.addRows(
            len(self.rows),
            np.asarray(lows, float),
            np.asarray(highs, float),
            len(index),
            np.asarray(starts, dtype=np.int32),
            np.asarray(index, dtype=np.int32),
            np.asarray(value, float),
        )


def _balance_rows(
    model: _Model, rnd: Round, room: Room, x: dict, types: list[list[int]], b: list, strict: bool
) -> list:
    y = []
    members_with: list[list[int]] = [[] for _ in range(room.cell_count)]
    for g, members in enumerate(types):
        for c in room.cells[members[0]]:
            members_with[c].append(g)
    held = [bool(groups) for groups in members_with]
    for t in range(room.tables):
        for c in range(room.cell_count):
            lo0, lo1 = rnd.low[0][c], rnd.low[1][c]
            hi0, hi1 = rnd.high[0][c], rnd.high[1][c]
            if not held[c]:
                continue
            cols = [x[g, t] for g in members_with[c] if (g, t) in x]
            needs_low = lo1 > 0
            needs_high = hi0 < rnd.small + (1 if rnd.big else 0)
            if not (needs_low or needs_high):
                continue
            v = model.column(0, 0 if strict else 1, 1.0)
            y.append(v)
            big = b[t]
            bcol = [big] if big is not None else []
            if needs_low:
                model.row(
                    lo0, np.inf, [*cols, *bcol, v], [1.0] * len(cols) + [-(lo1 - lo0)] * len(bcol) + [lo1]
                )
            if needs_high:
                m = rnd.small + 1 - hi0
                model.row(
                    -np.inf, hi0, [*cols, *bcol, v], [1.0] * len(cols) + [-(hi1 - hi0)] * len(bcol) + [-m]
                )
    return y


def best_balance(
    room: Room, rnd: Round, *, seed: int, time_limit: float, strict: bool = False
) -> BalancedRound | None:
    """The round's seating by types with the fewest cells out of band; None if infeasible.

    With ``strict`` every cell must be in band (None when the room does not
    allow it). Tiny seeded costs on the type counts vary the seating from one
    round to the next without changing the count of cells out of band.
    Raises TimeoutError when no seating was found within ``time_limit``.
    """
    types = _types(room, rnd)
    model = _Model()
    x: dict[tuple[int, int], int] = {}
    jitter = random.Random(seed * 7919 + rnd.index)
    scale = 0.5 / (len(types) * room.tables * (rnd.small + 1))
    for g, members in enumerate(types):
        allowed = rnd.allowed.get(members[0])
        for t in range(room.tables):
            if allowed is None or t in allowed:
                x[g, t] = model.column(0, min(len(members), rnd.small + 1), scale * jitter.random())
    b = [model.column(0, 1) if rnd.big else None for _ in range(room.tables)]
    for g, members in enumerate(types):
        cols = [x[g, t] for t in range(room.tables) if (g, t) in x]
        model.row(len(members), len(members), cols, [1.0] * len(cols))
    for t in range(room.tables):
        cols = [x[g, t] for g in range(len(types)) if (g, t) in x]
        big = b[t]
        bcol = [big] if big is not None else []
        model.row(rnd.small, rnd.small, [*cols, *bcol], [1.0] * len(cols) + [-1.0] * len(bcol))
    if rnd.big:
        model.row(rnd.big, rnd.big, [c for c in b if c is not None], [1.0] * room.tables)
    group = {members[0]: g for g, members in enumerate(types)}
    for i in rnd.present:
        for j in room.apart[i]:
            if j > i and j in group and i in group:
                for t in range(room.tables):
                    cols = [x[k, t] for k in (group[i], group[j]) if (k, t) in x]
                    if len(cols) == 2:
                        model.row(-np.inf, 1, cols, [1.0, 1.0])
    y = _balance_rows(model, rnd, room, x, types, b, strict)
    status, values = model.solve(seed=seed, time_limit=time_limit)
    if status == "infeasible":
        return None
    if status == "unknown":
        raise TimeoutError
    counts: list[dict[int, int]] = [{} for _ in range(room.tables)]
    for (g, t), col in x.items():
        k = round(float(values[col]))
        if k:
            counts[t][g] = k
    oob = round(float(sum(values[v] for v in y)))
    return BalancedRound(types, counts, oob, status == "optimal")
