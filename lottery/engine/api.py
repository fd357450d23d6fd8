"""Entry points of the engine: LEXIMIN selection and the exactness check."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from .decompose import decompose, exact_weights
from .leximin import solve_types
from .model import Distribution, InvalidInput, Panel, ProgressCallback, SelectionProblem, SortitionError
from .prepare import Prepared, canonical, prepare

EXACTNESS = 1e-9


def leximin(
    problem: SelectionProblem,
    *,
    time_limit: float | None = None,
    progress: ProgressCallback | None = None,
    method: str = "auto",
) -> Distribution:
    """The LEXIMIN distribution over valid panels.

    ``method="auto"`` goes through the LP relaxation when its LEXIMIN point can
    be written with valid panels and falls back to column generation otherwise;
    ``method="column generation"`` uses only the latter (for comparisons).

    The relaxation delivers every level at once and does not watch the clock.
    On column generation the first level (maximin) is always completed; if
    ``time_limit`` seconds pass after that, the distribution for the levels fixed
    so far is returned with ``complete=False``. Raises InvalidInput or
    InfeasibleQuotas.
    """
    if method not in ("auto", "column generation"):
        raise InvalidInput(f'Unknown LEXIMIN method {method!r}: use "auto" or "column generation".')
    started = time.monotonic()
    prep = prepare(problem)
    deadline = None if time_limit is None else started + time_limit
    seated = [prep.ids[i] for i in prep.seated]
    stats: dict[str, float] = {"types": float(len(prep.types))}
    if prep.k == 0:
        from .infeasibility import find_panel, infeasibility_error

        if find_panel(prep) is None:
            raise infeasibility_error(prep)
        pieces_ids = [(sorted(prep.seated), 1.0)]
        complete, levels, method = True, 0, "seated only"
    else:
        solution = solve_types(prep, deadline=deadline, progress=progress, relaxation=method == "auto")
        weights = exact_weights(solution.weights)
        pieces = decompose([t.members for t in prep.types], solution.panels, weights)
        pieces_ids = [(sorted([*members, *prep.seated]), float(q)) for members, q in pieces]
        complete, levels, method = solution.complete, solution.levels, solution.method
        stats.update(
            type_panels=float(len(solution.weights)),
            pricing_rounds=float(solution.pricing_rounds),
            ilp_calls=float(solution.ilp_calls),
            ilp_seconds=solution.ilp_seconds,
        )
    panels = [Panel(tuple(prep.ids[i] for i in members), q) for members, q in pieces_ids]
    probabilities = marginals(prep.ids, panels)
    distribution = Distribution(
        algorithm="leximin",
        complete=complete,
        panel_size=problem.panel_size,
        panels=panels,
        probabilities=probabilities,
        min_probability=min(probabilities.values()),
        levels=levels,
        method=method,
        seconds=time.monotonic() - started,
        stats=stats,
    )
    if prep.k > 0:
        expected = {
            prep.ids[m]: float(solution.values[t]) for t, rt in enumerate(prep.types) for m in rt.members
        }
        for rid in seated:
            expected[rid] = 1.0
        for rid, p in probabilities.items():
            if abs(p - expected.get(rid, 0.0)) > 1e-7:
                raise SortitionError(f"Decomposition error for {rid}: {p} != {expected.get(rid, 0.0)}")
    check_distribution(problem, distribution, prep=prep)
    distribution.seconds = time.monotonic() - started
    return distribution


def marginals(ids: list[str], panels: list[Panel]) -> dict[str, float]:
    """Selection probability of every respondent under ``panels`` (math.fsum-exact)."""
    contributions: dict[str, list[float]] = {i: [] for i in ids}
    for panel in panels:
        for member in panel.members:
            contributions[member].append(panel.probability)
    import math

    return {i: math.fsum(v) for i, v in contributions.items()}


def check_distribution(
    problem: SelectionProblem, distribution: Distribution, *, prep: Prepared | None = None
) -> None:
    """Raise SortitionError unless every panel is valid (size, quotas, households,
    seated members), probabilities sum to 1, marginals sum to k and equal the
    reported probabilities."""
    prep = prep or prepare(problem)
    index = {rid: i for i, rid in enumerate(prep.ids)}
    households = {
        r.id: canonical(r.household) for r in problem.respondents if r.household and r.household.strip()
    }
    k = problem.panel_size
    seated = set(problem.seated)
    total = 0.0
    for panel in distribution.panels:
        if panel.probability <= 0:
            raise SortitionError("A listed panel has no positive probability.")
        total += panel.probability
        members = panel.members
        if len(members) != k or len(set(members)) != k:
            raise SortitionError(f"A panel has {len(set(members))} distinct members instead of {k}.")
        if not seated <= set(members):
            raise SortitionError("A panel misses a seated respondent.")
        seats = Counter(f for m in members for f in prep.feature_of[index[m]])
        for f, q in enumerate(prep.quotas):
            if not q.min <= seats[f] <= q.max:
                raise SortitionError(f"A panel has {seats[f]} seats for {q.category}={q.feature}.")
        homes = [households[m] for m in members if m in households]
        if len(homes) != len(set(homes)):
            raise SortitionError("A panel seats two members of one household.")
    if abs(total - 1.0) > EXACTNESS:
        raise SortitionError(f"Panel probabilities add up to {total}, not 1.")
    recomputed = marginals(prep.ids, distribution.panels)
    if set(recomputed) != set(distribution.probabilities):
        raise SortitionError("Probabilities are not given for exactly the pool.")
    for rid, p in recomputed.items():
        if abs(p - distribution.probabilities[rid]) > EXACTNESS:
            raise SortitionError(f"The probability of {rid} is not the panels' marginal.")
    if abs(float(np.sum(list(recomputed.values()))) - k) > 1e-7:
        raise SortitionError("Probabilities do not add up to the panel size.")
