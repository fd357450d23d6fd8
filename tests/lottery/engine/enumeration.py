"""Independent reference computations by brute force (tiny instances only).

Nothing here uses the engine's column generation: all valid panels are
enumerated and the LPs are solved over all of them at once.
"""

from __future__ import annotations

import itertools
from collections import Counter

import highspy
import numpy as np

from lottery.engine import SelectionProblem


def valid_panels(problem: SelectionProblem) -> list[tuple[str, ...]]:
    ids = [r.id for r in problem.respondents]
    by_id = {r.id: r for r in problem.respondents}
    seated = set(problem.seated)
    out = []
    for combo in itertools.combinations(ids, problem.panel_size):
        if not seated <= set(combo):
            continue
        homes = [by_id[i].household for i in combo if by_id[i].household]
        if len(homes) != len(set(homes)):
            continue
        seats = Counter((c, v.casefold()) for i in combo for c, v in by_id[i].features.items())
        if all(q.min <= seats[(q.category, q.feature.casefold())] <= q.max for q in problem.quotas):
            out.append(combo)
    return out


def _lp(
    ids: list[str], panels: list[tuple[str, ...]], fixed: dict[str, float], objective: str | None
) -> tuple[float, np.ndarray]:
    """max z (or the marginal of ``objective``) s.t. marginals >= fixed values and >= z."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    p = len(panels)
    inf = highspy.kHighsInf
    h.addVars(p + 1, np.zeros(p + 1), np.full(p + 1, inf))
    h.changeColBounds(p, -inf, inf)
    member = np.array([[1.0 if i in panel else 0.0 for panel in panels] for i in ids])
    h.addRow(1.0, 1.0, p, np.arange(p, dtype=np.int32), np.ones(p))
    for row, i in enumerate(ids):
        if i in fixed:
            h.addRow(fixed[i] - 1e-9, inf, p, np.arange(p, dtype=np.int32), member[row])
        else:
            h.addRow(0.0, inf, p + 1, np.arange(p + 1, dtype=np.int32), np.append(member[row], -1.0))
    if objective is None:
        h.changeColCost(p, 1.0)
    else:
        h.changeColsCost(p, np.arange(p, dtype=np.int32), member[ids.index(objective)])
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)


def maximin_value(problem: SelectionProblem) -> float:
    ids = [r.id for r in problem.respondents]
    value, _ = _lp(ids, valid_panels(problem), {}, None)
    return value


def leximin_vector(problem: SelectionProblem, tol: float = 1e-7) -> dict[str, float]:
    """Leximin marginals: maximise the minimum, then fix exactly the respondents
    that cannot get more (checked one by one with an LP), repeat."""
    ids = [r.id for r in problem.respondents]
    panels = valid_panels(problem)
    fixed: dict[str, float] = {}
    while len(fixed) < len(ids):
        z, _ = _lp(ids, panels, fixed, None)
        newly = {}
        for i in ids:
            if i in fixed:
                continue
            constraints = dict(fixed)
            for j in ids:
                if j not in fixed and j != i:
                    constraints[j] = z
            best, _ = _lp(ids, panels, constraints, i)
            if best <= z + tol:
                newly[i] = z
        assert newly, "no respondent could be fixed"
        fixed.update(newly)
    return fixed
