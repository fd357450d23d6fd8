"""Explain infeasible quotas and propose the smallest relaxation."""

from __future__ import annotations

from collections import Counter

import highspy
import numpy as np

from .model import InfeasibleQuotas, Relaxation
from .polytope import panel_model
from .prepare import Prepared
from .solver import set_costs, solve


def find_panel(prep: Prepared) -> np.ndarray | None:
    """One valid type-count panel, or None if the quotas cannot hold together."""
    h = panel_model(prep)
    result = solve(h)
    if result.status != "optimal":
        return None
    return np.rint(result.x[: len(prep.types)]).astype(np.int64)


def smallest_relaxation(prep: Prepared) -> list[Relaxation] | None:
    """Relaxations of min/max quotas of least total size that make a panel exist.

    Respects ``min_flex``/``max_flex``; None when no relaxation within them works.
    """
    h = panel_model(prep, slack=True)
    n_types, n_features = len(prep.types), len(prep.quotas)
    set_costs(h, np.ones(2 * n_features), offset=n_types)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    result = solve(h)
    if result.status != "optimal":
        return None
    lowered = np.rint(result.x[n_types : n_types + n_features]).astype(int)
    raised = np.rint(result.x[n_types + n_features :]).astype(int)
    relaxations = []
    for f, q in enumerate(prep.quotas):
        if lowered[f] > 0:
            new = q.min - int(lowered[f])
            relaxations.append(Relaxation(q.category, q.feature, "min", q.min, new))
        if raised[f] > 0:
            relaxations.append(Relaxation(q.category, q.feature, "max", q.max, q.max + int(raised[f])))
    return relaxations


def infeasibility_error(prep: Prepared) -> InfeasibleQuotas:
    """Build the exception naming the quotas in conflict and the proposed fix."""
    available = Counter(f for t in prep.types for f in t.features for _ in range(t.count))
    relaxations = smallest_relaxation(prep)
    intro = "The quotas cannot all be met by this pool"
    if prep.households:
        intro += " (with at most one person per household)"
    if relaxations is None:
        flex = any(q.min_flex is not None or q.max_flex is not None for q in prep.quotas)
        detail = (
            " and no relaxation within min_flex/max_flex makes them possible."
            if flex
            else "; no change of quotas makes them possible."
        )
        return InfeasibleQuotas(intro + detail, [])
    parts = []
    for r in relaxations:
        f = next(i for i, q in enumerate(prep.quotas) if (q.category, q.feature) == (r.category, r.feature))
        verb = "lower the minimum" if r.bound == "min" else "raise the maximum"
        parts.append(
            f"{verb} of {r.category}={r.feature} from {r.old} to {r.new} "
            f"({available[f]} available in the pool)"
        )
    names = ", ".join(f"{r.category}={r.feature}" for r in relaxations)
    message = (
        f"{intro}: the quotas for {names} cannot hold together. Smallest relaxation: {'; '.join(parts)}."
    )
    return InfeasibleQuotas(message, relaxations)
