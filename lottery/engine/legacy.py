"""The classic greedy selection (baseline for comparisons only).

Seat by seat: take the feature whose unmet minimum is largest relative to the
candidates still available with it, seat a random such candidate, drop the
candidate's household-mates and everyone whose feature reached its maximum.
Selection probabilities are estimated by repeating the draw with a fixed seed.
"""

from __future__ import annotations

import random
import time
from collections import Counter

from .api import check_distribution, marginals
from .model import Distribution, InfeasibleQuotas, Panel, SelectionProblem
from .prepare import Prepared, canonical, prepare


def _draw_once(prep: Prepared, homes: list[str | None], rng: random.Random) -> list[int] | None:
    excluded = set(prep.excluded) | set(prep.seated)
    available = [i for i in range(len(prep.ids)) if i not in excluded]
    seated_homes = {homes[i] for i in prep.seated if homes[i] is not None}
    available = [i for i in available if homes[i] is None or homes[i] not in seated_homes]
    selected: list[int] = []
    taken = Counter(f for i in prep.seated for f in prep.feature_of[i])
    quotas = prep.quotas
    for f, q in enumerate(quotas):
        if taken[f] >= q.max:
            available = [i for i in available if f not in prep.feature_of[i]]
    for _ in range(prep.k):
        have = Counter(f for i in available for f in prep.feature_of[i])
        best, best_ratio = None, -float("inf")
        for f, q in enumerate(quotas):
            if have[f] == 0:
                continue
            ratio = (q.min - taken[f]) / have[f]
            if ratio > best_ratio:
                best, best_ratio = f, ratio
        if best is None or best_ratio > 1:
            return None
        person = rng.choice([i for i in available if best in prep.feature_of[i]])
        selected.append(person)
        for f in prep.feature_of[person]:
            taken[f] += 1
        home = homes[person]
        available = [i for i in available if i != person and (home is None or homes[i] != home)]
        full = {f for f, q in enumerate(quotas) if taken[f] >= q.max}
        if full:
            available = [i for i in available if not full.intersection(prep.feature_of[i])]
    if any(taken[f] < q.min for f, q in enumerate(quotas)):
        return None
    return selected


def legacy(
    problem: SelectionProblem, *, runs: int = 1000, seed: int = 0, max_failures: int | None = None
) -> Distribution:
    """Estimate the legacy method's distribution from ``runs`` seeded draws."""
    started = time.monotonic()
    prep = prepare(problem)
    homes = [
        canonical(r.household) if r.household and r.household.strip() else None for r in problem.respondents
    ]
    rng = random.Random(seed)
    counts: dict[tuple[int, ...], int] = {}
    failures = 0
    limit = max_failures if max_failures is not None else max(1000, 100 * runs)
    done = 0
    while done < runs:
        panel = _draw_once(prep, homes, rng)
        if panel is None:
            failures += 1
            if failures > limit:
                raise InfeasibleQuotas(
                    "The legacy method could not complete a panel that meets the quotas "
                    f"in {failures} attempts; the quotas may be impossible for this pool."
                )
            continue
        key = tuple(sorted([*panel, *prep.seated]))
        counts[key] = counts.get(key, 0) + 1
        done += 1
    panels = [Panel(tuple(prep.ids[i] for i in key), c / runs) for key, c in counts.items()]
    probabilities = marginals(prep.ids, panels)
    # People with identical answers and no household-mate are interchangeable
    # for the greedy method too: pooling their frequencies estimates their
    # common probability with far less noise than each person's own count
    # (with 100 runs, anyone never drawn would otherwise count as 0).
    pooled = [sum(probabilities[prep.ids[m]] for m in rtype.members) / rtype.count for rtype in prep.types]
    distribution = Distribution(
        algorithm="legacy",
        complete=True,
        panel_size=problem.panel_size,
        panels=panels,
        probabilities=probabilities,
        min_probability=min(probabilities.values()),
        levels=0,
        seconds=time.monotonic() - started,
        stats={
            "runs": float(runs),
            "failures": float(failures),
            "pooled_min_probability": min(pooled, default=0.0),
        },
    )
    check_distribution(problem, distribution, prep=prep)
    return distribution
