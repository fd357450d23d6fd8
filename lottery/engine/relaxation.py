"""LEXIMIN through the LP relaxation of the panel polytope, then a face walk.

The set of achievable expected-seat vectors is the convex hull ``H`` of the
valid integer panels. It lies inside the relaxation ``R`` (the same quota,
size and household constraints with fractional seats), over which LEXIMIN is a
short sequence of small LPs: no column generation at all. If the LEXIMIN point
``x*`` of ``R`` is also in ``H``, it is the LEXIMIN point of ``H`` (the optimum
over a superset, attained in the subset) and we only have to write it as a
convex combination of valid panels.

That is a Carathéodory walk along the faces of ``R``: take an integer panel
``v`` in the smallest face containing the current point ``x``, move ``x``
away from ``v`` until a new constraint becomes tight (``x = a·v + (1-a)·x'``),
and repeat on the smaller face; each step lowers the face's dimension, so there
are at most ``T + 1`` steps. If some face holds no integer panel the walk
reports failure and the caller falls back to column generation (the point may
lie outside ``H``, where the relaxation is not the answer). The caller
re-optimises the weights over the panels found with an exact LP and checks the
marginals, so the walk's floating-point steps never decide the result alone.

On realistic pools (quotas on 6 to 8 categories) the relaxation's point is in
``H`` and the walk needs far fewer panels than there are types.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from .model import Progress, ProgressCallback
from .polytope import feature_members, panel_model
from .prepare import Prepared
from .solver import INF, add_rows, set_costs, solve
from .solver import quiet_run as _quiet_run

_STATUS = highspy.HighsModelStatus
_FEASIBLE = 2  # HiGHS's primal_solution_status for a feasible point

LEVEL_SLACK = 1e-9  # fixed levels are kept up to this slack in the relaxation
BOUND_TOL = 1e-9  # a seat count this close to a bound is at the bound
ROW_TOL = 1e-7  # a constraint this close to a bound is tight
MASS_DONE = 1e-10  # the walk stops when this little weight is left (the final LP absorbs it)
MASS_TAIL = 1e-7  # a dead end with less than this weight left is numerical noise: stop there
FACE_ILP_SECONDS = 20.0  # a face whose integer program takes longer counts as a dead end


@dataclass
class Relaxed:
    values: np.ndarray  # (T,) selection probability of each member of type t
    levels: int


def relaxed_leximin(
    prep: Prepared, counts: np.ndarray, progress: ProgressCallback | None = None
) -> Relaxed | None:
    """LEXIMIN over the relaxation: maximise the smallest probability, fix the
    types whose level row has a positive dual (tight in every optimum), repeat.
    None if an LP ends without a clean status (the caller falls back)."""
    n_types = len(counts)
    h = panel_model(prep, integer=False)
    h.setOptionValue("presolve", "off")  # keep the warm start between levels
    z = n_types
    h.addVar(-INF, INF)
    h.changeColCost(z, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    base = h.getNumRow()
    add_rows(h, [0.0] * n_types, [INF] * n_types, [([t, z], [1.0 / counts[t], -1.0]) for t in range(n_types)])
    unfixed = np.ones(n_types, dtype=bool)
    levels = 0
    minimum = 0.0
    while unfixed.any():
        levels += 1
        result = solve(h)
        if result.status != "optimal":
            return None
        value = float(result.x[z])
        minimum = value if levels == 1 else minimum
        duals = np.abs(result.row_dual[base : base + n_types])
        tight = np.nonzero(unfixed & (duals > LEVEL_SLACK))[0]
        if len(tight) == 0:
            share = np.where(unfixed, result.x[:n_types] / counts, INF)
            tight = np.asarray([int(np.argmin(share))])
        # The point itself (not the level values, which may exceed it by the
        # slack) is what the walk decomposes: it meets every constraint.
        values = np.clip(result.x[:n_types] / counts, 0.0, 1.0)
        for t in tight.tolist():
            unfixed[t] = False
            h.changeCoeff(base + t, z, 0.0)
            h.changeRowBounds(base + t, value - LEVEL_SLACK, INF)
        if progress is not None:
            progress(Progress(levels, 0, minimum, n_types - int(unfixed.sum()), n_types))
    return Relaxed(values, levels)


class _Rows:
    """The panel constraints as 0/1 incidence lists, for fast ``A @ x``."""

    def __init__(self, prep: Prepared) -> None:
        n_types = len(prep.types)
        row_of: list[int] = [0] * n_types  # row 0: panel size
        col_of: list[int] = list(range(n_types))
        lower, upper = [float(prep.k)], [float(prep.k)]
        for f, members in enumerate(feature_members(prep)):
            row_of += [1 + f] * len(members)
            col_of += members
            lower.append(float(prep.minimum[f]))
            upper.append(float(prep.maximum[f]))
        for group in prep.households:
            row_of += [len(lower)] * len(group)
            col_of += group
            lower.append(-INF)
            upper.append(1.0)
        self.row_of = np.asarray(row_of, dtype=np.int64)
        self.col_of = np.asarray(col_of, dtype=np.int64)
        self.lower = np.asarray(lower)
        self.upper = np.asarray(upper)

    def times(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_of, weights=x[self.col_of], minlength=len(self.lower))


@dataclass
class Walk:
    panels: list[np.ndarray]
    complete: bool  # False: a face without an integer panel
    steps: int


def face_walk(
    prep: Prepared,
    values: np.ndarray,
    counts: np.ndarray,
    *,
    attempt: int = 0,
    progress: ProgressCallback | None = None,
    levels: int = 0,
) -> Walk:
    """Panels whose convex hull contains ``values * counts`` (see module doc).

    Attempt 0 prefers, in each face, the panel seating the types with the most
    weight left; later attempts perturb that preference deterministically
    (seeded by the attempt number), which finds a way past most dead ends.
    ``progress`` hears of every panel found (``levels`` is passed through)."""
    n_types = len(counts)
    rows = _Rows(prep)
    x = values * counts
    target = x.copy()
    ilp = panel_model(prep)
    small = panel_model(prep)
    for h in (ilp, small):
        h.setOptionValue("mip_rel_gap", 0.2)  # any integer point of the face will do
        h.setOptionValue("time_limit", FACE_ILP_SECONDS)  # proving a face empty can be slow
    lp = panel_model(prep, integer=False)
    lp.setOptionValue("presolve", "off")
    lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
    models = (ilp, small, lp)
    col_fixed = np.zeros(n_types, dtype=bool)
    fixed_at = np.zeros(n_types)
    row_fixed = np.zeros(len(rows.lower), dtype=bool)
    jitter = np.random.default_rng(attempt).uniform(0.5, 1.5, n_types) if attempt else np.ones(n_types)
    panels: list[np.ndarray] = []
    taken = np.zeros(n_types)  # sum of weight * panel so far
    mass = 1.0
    steps = 0
    while mass > MASS_DONE:
        steps += 1
        # The smallest face containing x: seat counts at a bound, tight rows.
        at_zero = x <= BOUND_TOL
        at_full = x >= counts - BOUND_TOL
        for t in np.nonzero(~col_fixed & (at_zero | at_full))[0].tolist():
            bound = 0.0 if at_zero[t] else float(counts[t])
            fixed_at[t] = bound
            for h in models:
                h.changeColBounds(t, bound, bound)
        col_fixed |= at_zero | at_full
        x = np.where(col_fixed, fixed_at, x)
        ax = rows.times(x)
        at_lower = np.abs(ax - rows.lower) <= ROW_TOL
        at_upper = np.abs(ax - rows.upper) <= ROW_TOL
        for r in np.nonzero(~row_fixed & (at_lower | at_upper))[0].tolist():
            bound = float(rows.lower[r] if at_lower[r] else rows.upper[r])
            for h in models:
                h.changeRowBounds(r, bound, bound)
        row_fixed |= at_lower | at_upper
        v = _integer_point(ilp, small, lp, np.where(col_fixed, 0.0, jitter * x / counts), n_types)
        if v is None:
            return Walk(panels, mass < MASS_TAIL, steps)
        d = x - v
        if np.abs(d).max() <= BOUND_TOL:
            panels.append(v)
            mass = 0.0
            break
        mu = _ratio(x, d, counts, ax, rows.times(d), rows, col_fixed, row_fixed)
        alpha = mu / (1.0 + mu)
        if alpha <= 1e-12 or steps > n_types + 1:
            # No progress (numerically): give up rather than loop; the caller falls back.
            return Walk(panels, mass < MASS_TAIL, steps)
        panels.append(v)
        if progress is not None:
            progress(Progress(levels, len(panels), float(values.min()), n_types, n_types))
        taken += mass * alpha * v
        mass *= 1.0 - alpha
        # Recompute the remaining point from the target to keep errors from compounding.
        if mass > MASS_DONE:
            x = np.clip((target - taken) / mass, 0.0, counts)
    return Walk(panels, True, steps)


def _ratio(
    x: np.ndarray,
    d: np.ndarray,
    counts: np.ndarray,
    ax: np.ndarray,
    ad: np.ndarray,
    rows: _Rows,
    col_fixed: np.ndarray,
    row_fixed: np.ndarray,
) -> float:
    """Largest mu with x + mu*d still inside the relaxation."""
    mu = INF
    up = ~col_fixed & (d > 1e-12)
    down = ~col_fixed & (d < -1e-12)
    if up.any():
        mu = min(mu, float(np.min((counts[up] - x[up]) / d[up])))
    if down.any():
        mu = min(mu, float(np.min(-x[down] / d[down])))
    rup = ~row_fixed & (ad > 1e-12) & (rows.upper < INF)
    rdown = ~row_fixed & (ad < -1e-12) & (rows.lower > -INF)
    if rup.any():
        mu = min(mu, float(np.min((rows.upper[rup] - ax[rup]) / ad[rup])))
    if rdown.any():
        mu = min(mu, float(np.min((rows.lower[rdown] - ax[rdown]) / ad[rdown])))
    return max(mu, 0.0) if mu < INF else 0.0


def _integer_point(
    ilp: highspy.Highs, small: highspy.Highs, lp: highspy.Highs, weights: np.ndarray, n_types: int
) -> np.ndarray | None:
    """An integer panel in the current face, preferring types with much weight
    left (that keeps the remaining point central): the LP's vertex when it is
    integral, else a RENS rounding of it, else the full integer program."""
    set_costs(lp, weights)
    with _quiet_run():
        lp.run()
    if lp.getModelStatus() != _STATUS.kOptimal:
        lp.clearSolver()
        return None
    x_lp = np.asarray(lp.getSolution().col_value, dtype=float)[:n_types]
    rounded = np.rint(x_lp)
    near = np.abs(x_lp - rounded) <= 1e-9
    if near.all():
        return rounded.astype(np.int64)
    lower = np.where(near, rounded, np.floor(x_lp))
    upper = np.where(near, rounded, np.ceil(x_lp))
    small.changeColsBounds(n_types, np.arange(n_types, dtype=np.int32), lower, upper)
    for h in (small, ilp):
        set_costs(h, -weights)
        with _quiet_run():
            h.run()
        status = h.getModelStatus()
        found = status == _STATUS.kOptimal or (
            status == _STATUS.kTimeLimit and h.getInfo().primal_solution_status == _FEASIBLE
        )
        if found:
            return np.rint(np.asarray(h.getSolution().col_value, dtype=float)[:n_types]).astype(np.int64)
        h.clearSolver()
    return None
