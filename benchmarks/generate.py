"""Seeded synthetic pools with realistic self-selection bias (for benchmarks)."""

from __future__ import annotations

import math
import random

from lottery.engine.model import Quota, Respondent, SelectionProblem

# (category, [(feature, census share, response propensity)])
CATEGORIES: list[tuple[str, list[tuple[str, float, float]]]] = [
    ("gender", [("female", 0.51, 1.0), ("male", 0.48, 0.9), ("non-binary", 0.01, 1.0)]),
    (
        "age",
        [
            ("16-29", 0.22, 0.6),
            ("30-44", 0.24, 0.8),
            ("45-59", 0.25, 1.1),
            ("60-74", 0.19, 1.5),
            ("75+", 0.10, 0.9),
        ],
    ),
    (
        "education",
        [("none", 0.18, 0.4), ("level 1-2", 0.30, 0.8), ("level 3", 0.17, 1.0), ("level 4+", 0.35, 1.7)],
    ),
    (
        "region",
        [
            ("north", 0.25, 0.9),
            ("midlands", 0.20, 1.0),
            ("south", 0.30, 1.1),
            ("london", 0.15, 1.2),
            ("wales", 0.10, 0.8),
        ],
    ),
    (
        "ethnicity",
        [("white", 0.82, 1.05), ("asian", 0.09, 0.8), ("black", 0.04, 0.7), ("mixed/other", 0.05, 0.8)],
    ),
    ("urbanity", [("urban", 0.55, 1.1), ("suburban", 0.30, 1.0), ("rural", 0.15, 0.8)]),
    ("attitude", [("very concerned", 0.3, 1.6), ("fairly concerned", 0.4, 1.0), ("not concerned", 0.3, 0.5)]),
    ("housing", [("owner", 0.63, 1.2), ("renter", 0.37, 0.7)]),
]


def generated_problem(n: int = 2000, k: int = 150, n_categories: int = 8, seed: int = 1) -> SelectionProblem:
    rng = random.Random(seed)
    cats = CATEGORIES[:n_categories]
    respondents = []
    for i in range(n):
        features = {}
        for name, feats in cats:
            weights = [share * propensity for _, share, propensity in feats]
            # Correlate education and attitude with age a little, as in real pools.
            features[name] = rng.choices([f for f, _, _ in feats], weights=weights)[0]
        respondents.append(Respondent(f"r{i}", features))
    quotas = []
    for name, feats in cats:
        for feature, share, _ in feats:
            target = share * k
            quotas.append(
                Quota(name, feature, max(0, math.floor(target * 0.9) - 1), math.ceil(target * 1.1) + 1)
            )
    return SelectionProblem(respondents, quotas, k)
