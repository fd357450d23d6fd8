"""LEXIMIN over respondent types.

First through the LP relaxation (relaxation.py: LEXIMIN of the relaxation, then
a walk over its faces that writes that point with valid panels); when valid
panels cannot reach that point, by column generation (Flanigan et al., Nature
2021), seeded with the panels found on the way.

Level by level, column generation solves the dual of the restricted master LP

    min  yhat - sum_{t fixed} (v_t - slack) * y_t
    s.t. yhat >= sum_t y_t * x_{P,t} / c_t     for every generated panel P
         sum_{t unfixed} y_t = 1,  y >= 0

and prices new panels with an integer program maximising sum_t y_t x_t / c_t over
valid panels (LP relaxation first: when its bound already certifies optimality
no ILP is needed). When no panel violates a row, the optimum is the level's
value; types with a positive dual are tight in every optimal solution
(complementary slackness), so they are fixed at that value.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

import highspy
import numpy as np

from .infeasibility import find_panel, infeasibility_error
from .model import Progress, ProgressCallback, SortitionError
from .polytope import panel_model
from .prepare import Prepared
from .relaxation import face_walk, relaxed_leximin
from .solver import INF, add_rows, new_highs, set_costs, solve
from .solver import quiet_run as _quiet_run

_STATUS = highspy.HighsModelStatus

PRICING_EPS = 1e-9  # a panel is added when it beats yhat by more than this
DUAL_FIX_EPS = 1e-7  # duals above this mark a type as tight
FIX_SLACK = 1e-8  # fixed values are enforced up to this slack (LP tolerance)


@dataclass
class TypeSolution:
    panels: np.ndarray  # (P, T) seats per type
    weights: np.ndarray  # (P,) probabilities, sum 1
    values: np.ndarray  # (T,) selection probability of each member of type t
    complete: bool
    levels: int
    pricing_rounds: int
    ilp_calls: int = 0
    ilp_seconds: float = 0.0
    method: str = "column generation"


class _Pricer:
    """Finds panels x maximising weights @ x over valid panels.

    The ILP is posed as a minimisation with a cutoff (``objective_bound``) at the
    current ceiling: HiGHS then only has to find *some* improving panel, or prove
    that none exists, which is much faster than proving a panel optimal. Every
    improving incumbent it met on the way is returned as an extra column.
    """

    def __init__(self, prep: Prepared) -> None:
        self.n = len(prep.types)
        self.counts = np.asarray([t.count for t in prep.types], dtype=float)
        self.ilp = panel_model(prep)
        self.ilp.setOptionValue("mip_improving_solution_save", True)
        self.ilp.setOptionValue("mip_rel_gap", 0.02)
        self.lp = panel_model(prep, integer=False)
        self.lp.setOptionValue("presolve", "off")  # warm start across cost changes
        self.lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.small = panel_model(prep)
        self.relaxed: np.ndarray | None = None
        self.heuristic_hits = 0
        self.ilp_calls = 0
        self.ilp_seconds = 0.0

    def bound(self, weights: np.ndarray) -> float:
        """LP-relaxation bound; keeps the relaxed optimum for the rounding heuristic."""
        set_costs(self.lp, weights)
        result = solve(self.lp)
        if result.status != "optimal":
            self.relaxed = None
            return INF
        self.relaxed = result.x[: self.n]
        return result.objective

    def rounded(self, weights: np.ndarray, ceiling: float) -> list[np.ndarray]:
        """RENS-style heuristic: fix the variables that are integral in the LP
        optimum and solve the small remaining ILP. Most rounds find an
        improving panel this way in a fraction of a full ILP's time."""
        if self.relaxed is None:
            return []
        x_lp = self.relaxed
        near = np.abs(x_lp - np.rint(x_lp)) <= 1e-9
        lower = np.where(near, np.rint(x_lp), np.floor(x_lp))
        upper = np.where(near, np.rint(x_lp), np.ceil(x_lp))
        h = self.small
        h.changeColsBounds(self.n, np.arange(self.n, dtype=np.int32), lower, upper)
        set_costs(h, -weights)
        h.setOptionValue("objective_bound", -(ceiling + PRICING_EPS))
        with _quiet_run():
            h.run()
        if h.getModelStatus() != _STATUS.kOptimal:
            h.clearSolver()
            return []
        x = np.rint(np.asarray(h.getSolution().col_value, dtype=float)[: self.n]).astype(np.int64)
        return [x] if float(weights @ x) > ceiling + PRICING_EPS else []

    def improving(self, weights: np.ndarray, ceiling: float) -> list[np.ndarray]:
        """Panels with weights @ x > ceiling + PRICING_EPS, best first; [] certifies none exists."""
        started = time.monotonic()
        self.ilp_calls += 1
        h = self.ilp
        set_costs(h, -weights)
        cutoff = -(ceiling + PRICING_EPS)
        h.setOptionValue("objective_bound", cutoff)
        with _quiet_run():
            h.run()
        status = h.getModelStatus()
        found: list[np.ndarray] = []
        if status == _STATUS.kOptimal:
            candidates = [np.asarray(h.getSolution().col_value, dtype=float)]
            with contextlib.suppress(AttributeError, TypeError):
                candidates += [np.asarray(s.col_value, dtype=float) for s in h.getSavedMipSolutions()]
            seen: set[bytes] = set()
            for values in candidates:
                x = np.rint(values[: self.n]).astype(np.int64)
                if x.tobytes() not in seen and float(weights @ x) > ceiling + PRICING_EPS:
                    seen.add(x.tobytes())
                    found.append(x)
            found.sort(key=lambda x: -float(weights @ x))
        elif status not in (_STATUS.kObjectiveBound, _STATUS.kInfeasible):
            # Unclean end: fall back to a plain, exact solve with retries.
            h.setOptionValue("objective_bound", INF)
            h.clearSolver()
            result = solve(h)
            if result.status == "optimal":
                x = np.rint(result.x[: self.n]).astype(np.int64)
                if float(weights @ x) > ceiling + PRICING_EPS:
                    found.append(x)
        self.ilp_seconds += time.monotonic() - started
        return found


def _seed_panels(prep: Prepared, pricer: _Pricer, first: np.ndarray) -> list[np.ndarray]:
    """A first set of panels that together cover every type that can be seated."""
    panels = [first]
    covered = first > 0
    n = len(prep.types)
    for _ in range(n):
        if covered.all():
            break
        weights = np.where(covered, 0.0, 1.0 / pricer.counts)
        threshold = 0.5 / max(1.0, pricer.counts.max())
        pricer.bound(weights)
        found = pricer.rounded(weights, threshold) or pricer.improving(weights, threshold)
        if not found or not (found[0][~covered] > 0).any():
            break
        x = found[0]
        panels.append(x)
        covered |= x > 0
    return panels


def _final_weights(
    panels: list[np.ndarray], counts: np.ndarray, fixed: dict[int, float]
) -> tuple[np.ndarray, float]:
    """Primal LP: a distribution over ``panels`` meeting the fixed values and
    maximising the minimum over the other types."""
    n_panels, n_types = len(panels), len(counts)
    unfixed = [t for t in range(n_types) if t not in fixed]
    matrix = np.stack(panels).astype(float) / counts  # (P, T)
    # With every type fixed, maximise a uniform shift s (marginal >= v_t + s) so
    # the marginals land as close to the fixed values as the LP allows; else
    # keep the fixed values up to a tiny slack and maximise the free minimum z.
    for slack in (FIX_SLACK, 1e-7, 1e-6, 1e-5, 1e-4):
        h = new_highs()
        h.addVars(n_panels, np.zeros(n_panels), np.full(n_panels, INF))
        extra = n_panels
        h.addVar(-INF, INF if unfixed else slack)
        h.changeColCost(extra, 1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rows: list[tuple[list[int], list[float]]] = [(list(range(n_panels)), [1.0] * n_panels)]
        lower, upper = [1.0], [1.0]
        for t in range(n_types):
            nz = np.nonzero(matrix[:, t])[0]
            idx, val = nz.tolist(), matrix[nz, t].tolist()
            if t in fixed and unfixed:
                rows.append((idx, val))
                lower.append(fixed[t] - slack)
            elif t in fixed:
                rows.append(([*idx, extra], [*val, -1.0]))
                lower.append(fixed[t])
            else:
                rows.append(([*idx, extra], [*val, -1.0]))
                lower.append(0.0)
            upper.append(INF)
        add_rows(h, lower, upper, rows)
        result = solve(h)
        if result.status == "optimal" and (unfixed or result.objective >= -slack):
            weights = np.clip(result.x[:n_panels], 0.0, None)
            weights[weights < 1e-13] = 0.0
            return weights / weights.sum(), slack
    raise SortitionError("Could not recover a distribution for the fixed probabilities.")


def _towards(
    prep: Prepared, counts: np.ndarray, values: np.ndarray, panels: list[np.ndarray]
) -> list[np.ndarray]:
    """Column generation for one fixed target: maximise the shift ``s`` with
    every type's marginal at least ``values + s`` over a distribution of the
    panels, pricing new panels with the type duals, until none improves.
    ``s`` reaches 0 exactly when valid panels can give ``values``; the panels
    generated are returned either way."""
    n_types = len(counts)
    pricer = _Pricer(prep)
    h = new_highs()
    h.setOptionValue("presolve", "off")  # warm start as columns are added
    h.setOptionValue("simplex_strategy", 4)  # primal simplex: new columns keep the basis feasible
    h.addVar(-INF, INF)  # s, column 0
    h.changeColCost(0, -1.0)  # minimise -s
    add_rows(h, list(values), [INF] * n_types, [([0], [-1.0]) for _ in range(n_types)])
    add_rows(h, [1.0], [1.0], [([], [])])
    convexity = n_types
    seen: set[bytes] = set()

    def add(new: list[np.ndarray]) -> None:
        for x in new:
            seen.add(x.tobytes())
            nz = np.nonzero(x)[0]
            index = np.asarray([*nz.tolist(), convexity], dtype=np.int32)
            value = np.asarray([*(x[nz] / counts[nz]).tolist(), 1.0])
            h.addCol(0.0, 0.0, INF, len(index), index, value)

    panels = list(panels)
    add(panels)
    for _ in range(50 * n_types + 100):  # a safety net: each round adds a new panel
        result = solve(h)
        if result.status != "optimal" or -result.objective >= -PRICING_EPS:
            break
        weights = np.clip(result.row_dual[:n_types], 0.0, None) / counts
        ceiling = -float(result.row_dual[convexity])
        if pricer.bound(weights) <= ceiling + PRICING_EPS:
            break
        new = [x for x in pricer.rounded(weights, ceiling) if x.tobytes() not in seen]
        if not new:
            new = [x for x in pricer.improving(weights, ceiling) if x.tobytes() not in seen]
        if not new:
            break
        panels += new
        add(new)
    return panels


def _unique(panels: list[np.ndarray]) -> list[np.ndarray]:
    unique: dict[bytes, np.ndarray] = {}
    for x in panels:
        unique.setdefault(x.tobytes(), x)
    return list(unique.values())


VALUE_TOL = 1e-6  # the walk's panels must reproduce the relaxation's values this closely
WALK_ATTEMPTS = 3  # walks tried (each with another deterministic preference) before falling back


def _via_relaxation(
    prep: Prepared,
    counts: np.ndarray,
    progress: ProgressCallback | None,
) -> tuple[TypeSolution | None, list[np.ndarray]]:
    """LEXIMIN of the relaxation, decomposed into valid panels (relaxation.py).

    Returns the solution, or None and the panels found so far when the
    relaxation's point is not reachable by valid panels (or the walks missed
    it). The walks do not watch the deadline: they complete every level in
    less time than column generation needs for the first."""
    relaxed = relaxed_leximin(prep, counts, progress)
    if relaxed is None:
        return None, []
    n_types = len(counts)
    fixed = {t: float(relaxed.values[t]) for t in range(n_types)}

    def reproduce(found: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Exact LP weights over ``found`` if they give the relaxed values."""
        try:
            weights, _slack = _final_weights(found, counts, fixed)
        except SortitionError:
            return None
        keep = weights > 0
        kept = np.stack(found)[keep]
        values = (weights[keep] @ kept) / counts
        if float(np.abs(values - relaxed.values).max()) > VALUE_TOL:
            return None
        return kept, weights[keep], values

    panels: list[np.ndarray] = []
    steps = 0
    answer = None
    for attempt in range(WALK_ATTEMPTS):
        walk = face_walk(
            prep, relaxed.values, counts, attempt=attempt, progress=progress, levels=relaxed.levels
        )
        steps += walk.steps
        found = _unique(walk.panels)
        panels = _unique(panels + found)
        answer = reproduce(found) if walk.complete else None
        if answer is not None:
            break
    if answer is None and panels:
        answer = reproduce(panels)  # together the walks may still contain the point
    if answer is None:
        # Last: price panels towards the point itself, from the walks' panels.
        # Either they reach it, or the point is out of reach (then fall back).
        start = panels or [p for p in [find_panel(prep)] if p is not None]
        panels = _towards(prep, counts, relaxed.values, start)
        answer = reproduce(panels) if panels else None
    if answer is None:
        return None, panels
    kept, weights, values = answer
    if progress is not None:
        progress(Progress(relaxed.levels, len(panels), float(values.min()), n_types, n_types))
    solution = TypeSolution(kept, weights, values, True, relaxed.levels, steps, method="relaxation")
    return solution, panels


def solve_types(
    prep: Prepared,
    *,
    deadline: float | None = None,
    progress: ProgressCallback | None = None,
    relaxation: bool = True,
) -> TypeSolution:
    """LEXIMIN over types: through the relaxation when its point is reachable
    (fast, exact), else by column generation level by level (always exact).
    ``relaxation=False`` skips the first way (benchmarks compare the two)."""
    counts = np.asarray([t.count for t in prep.types], dtype=float)
    first = find_panel(prep)
    if first is None:
        raise infeasibility_error(prep)
    solution, walked = _via_relaxation(prep, counts, progress) if relaxation else (None, [])
    if solution is not None:
        return solution
    pricer = _Pricer(prep)
    panels = _seed_panels(prep, pricer, first)
    seen = {p.tobytes() for p in panels}
    for x in walked:
        if x.tobytes() not in seen:
            seen.add(x.tobytes())
            panels.append(x)
    levels = _ColumnGeneration(counts, pricer, panels, deadline=deadline, progress=progress)
    complete = levels.run()
    weights, _slack = _final_weights(levels.panels, counts, levels.fixed)
    keep = weights > 0
    kept = np.stack(levels.panels)[keep]
    weights = weights[keep]
    values = (weights @ kept) / counts
    return TypeSolution(
        kept, weights, values, complete, levels.level, levels.rounds, pricer.ilp_calls, pricer.ilp_seconds
    )


class _ColumnGeneration:
    """The levels of column generation (see the module docstring): each level
    solves the restricted master LP, prices new panels until none improves,
    then fixes the tight types at the level's value."""

    def __init__(
        self,
        counts: np.ndarray,
        pricer: _Pricer,
        panels: list[np.ndarray],
        *,
        deadline: float | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.counts = counts
        self.n_types = len(counts)
        self.pricer = pricer
        self.panels = panels  # grows as panels are priced in
        self.seen = {p.tobytes() for p in panels}
        self.deadline = deadline
        self.progress = progress
        self.fixed: dict[int, float] = {}
        self.level = 0
        self.rounds = 0
        self.current_min = 0.0

    def run(self) -> bool:
        """Fix every type, level by level; False when the deadline stopped it
        (``level`` then counts the levels completed)."""
        while len(self.fixed) < self.n_types:
            self.level += 1
            unfixed = [t for t in range(self.n_types) if t not in self.fixed]
            master = self._master(unfixed)
            priced = self._price(master)
            if priced is None:
                self.level -= 1
                return False
            value, y = priced
            self.current_min = value if self.level == 1 else self.current_min
            tight = [t for t in unfixed if y[t] > DUAL_FIX_EPS]
            if not tight:
                tight = [max(unfixed, key=lambda t: (y[t], -t))]
            for t in tight:
                self.fixed[t] = value
            self._report()
            if len(self.fixed) < self.n_types and self._past_deadline():
                return False
        return True

    def _master(self, unfixed: list[int]) -> highspy.Highs:
        """This level's dual master LP over the panels generated so far."""
        n_types = self.n_types
        h = new_highs()
        h.setOptionValue("presolve", "off")  # keep the warm start as rows are added
        h.addVars(n_types, np.zeros(n_types), np.full(n_types, INF))
        h.addVar(-INF, INF)
        costs = np.zeros(n_types + 1)
        costs[n_types] = 1.0  # yhat
        for t, v in self.fixed.items():
            costs[t] = -(v - FIX_SLACK)
        set_costs(h, costs)
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
        add_rows(h, [1.0], [1.0], [(unfixed, [1.0] * len(unfixed))])
        self._add_panel_rows(h, self.panels)
        return h

    def _add_panel_rows(self, h: highspy.Highs, panels: list[np.ndarray]) -> None:
        """One row yhat >= sum_t y_t * x_{P,t} / c_t per panel P."""
        yhat = self.n_types
        rows = []
        for x in panels:
            nz = np.nonzero(x)[0]
            rows.append(([yhat, *nz.tolist()], [1.0, *(-x[nz] / self.counts[nz]).tolist()]))
        add_rows(h, [0.0] * len(panels), [INF] * len(panels), rows)

    def _price(self, h: highspy.Highs) -> tuple[float, np.ndarray] | None:
        """Add improving panels until none exists; the level's value and the
        type duals, or None when the deadline passed (never on level 1)."""
        n_types = self.n_types
        while True:
            result = solve(h)
            if result.status != "optimal":
                raise SortitionError(f"The master LP ended as {result.status} at level {self.level}.")
            y = np.clip(result.x[:n_types], 0.0, None)
            ceiling = float(result.x[n_types])
            self.current_min = float(result.objective) if self.level == 1 else self.current_min
            self.rounds += 1
            new = self._improving_panels(y / self.counts, ceiling)
            if not new:
                return float(result.objective), y
            for x in new:
                self.seen.add(x.tobytes())
                self.panels.append(x)
            self._add_panel_rows(h, new)
            if self.rounds % 25 == 0:
                self._report()
            if self.level > 1 and self._past_deadline():
                return None

    def _improving_panels(self, weights: np.ndarray, ceiling: float) -> list[np.ndarray]:
        """New panels above the ceiling; [] when none exists. Cheapest first:
        the LP relaxation may already certify optimality; else try the
        rounding heuristic; only then the full ILP."""
        pricer = self.pricer
        if pricer.bound(weights) <= ceiling + PRICING_EPS:
            return []
        new = [x for x in pricer.rounded(weights, ceiling) if x.tobytes() not in self.seen]
        if new:
            pricer.heuristic_hits += 1
            return new
        return [x for x in pricer.improving(weights, ceiling) if x.tobytes() not in self.seen]

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(
                Progress(self.level, len(self.panels), self.current_min, len(self.fixed), self.n_types)
            )
