"""The set of valid panels, written over respondent types as an integer program.

A panel is a vector ``x`` with ``0 <= x_t <= count_t`` seats for each type,
``sum(x) == k``, every feature's seat count within its (seated-adjusted) quota,
and at most one seat for each household group.
"""

from __future__ import annotations

import highspy
import numpy as np

from .prepare import Prepared
from .solver import INF, add_rows, new_highs, set_integer


def feature_members(prep: Prepared) -> list[list[int]]:
    """Type indices carrying each feature."""
    members: list[list[int]] = [[] for _ in prep.quotas]
    for t, rtype in enumerate(prep.types):
        for f in rtype.features:
            members[f].append(t)
    return members


def panel_model(prep: Prepared, *, integer: bool = True, slack: bool = False) -> highspy.Highs:
    """Build the panel polytope; with ``slack`` add relaxation columns per quota.

    Columns: ``x_t`` for each type, then (with ``slack``) ``lower_f`` and
    ``raise_f`` for each feature: how much its min is lowered and its max raised.
    """
    h = new_highs()
    n_types = len(prep.types)
    counts = np.asarray([t.count for t in prep.types], dtype=float)
    h.addVars(n_types, np.zeros(n_types), counts)
    n_features = len(prep.quotas)
    if slack:
        low_ub, high_ub = [], []
        for f, q in enumerate(prep.quotas):
            cap = prep.minimum[f] if q.min_flex is None else min(prep.minimum[f], max(0, q.min - q.min_flex))
            low_ub.append(float(cap))
            high_ub.append(float(prep.k if q.max_flex is None else q.max_flex - q.max))
        h.addVars(n_features, np.zeros(n_features), np.asarray(low_ub))
        h.addVars(n_features, np.zeros(n_features), np.asarray(high_ub))
    rows: list[tuple[list[int], list[float]]] = [(list(range(n_types)), [1.0] * n_types)]
    lower = [float(prep.k)]
    upper = [float(prep.k)]
    for f, members in enumerate(feature_members(prep)):
        if slack:
            rows.append(([*members, n_types + f], [1.0] * len(members) + [1.0]))
            lower.append(float(prep.minimum[f]))
            upper.append(INF)
            rows.append(([*members, n_types + n_features + f], [1.0] * len(members) + [-1.0]))
            lower.append(-INF)
            upper.append(float(prep.maximum[f]))
        else:
            rows.append((members, [1.0] * len(members)))
            lower.append(float(prep.minimum[f]))
            upper.append(float(prep.maximum[f]))
    for group in prep.households:
        rows.append((group, [1.0] * len(group)))
        lower.append(-INF)
        upper.append(1.0)
    add_rows(h, lower, upper, rows)
    if integer:
        set_integer(h, list(range(n_types)))
    return h
