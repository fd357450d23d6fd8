"""Transparent lottery: rounding to m equally likely panels, commitment, draw, verify.

Rounding (Flanigan, Kehne, Procaccia, NeurIPS 2021, in its simplest sound form):
the distribution's panels are laid out on u in [0, 1) in the engine's order, in
which each respondent's panels form few contiguous runs; the lottery takes the
panel found at u = (r + offset) / m for r = 0..m-1 (systematic sampling). Each
panel then appears floor or ceil of m * q times, and a respondent's probability
moves by at most (number of its runs) / m. Several offsets are tried and the one
with the smallest maximum change is kept; the change is reported, not assumed.

The draw is verifiable: the commitment is SHA-256 over canonical JSON of
everything that determines the result, published before the public randomness
is known; the pick is SHA-256(commitment || randomness || counter) read as a
256-bit integer, with rejection sampling so every index is exactly equally likely.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any

from .model import ENGINE_VERSION, Distribution, Lottery, SelectionProblem

OFFSETS = 16


def round_to_lottery(distribution: Distribution, m: int = 1000) -> Lottery:
    """Round ``distribution`` to a uniform lottery over ``m`` panels (repeats allowed)."""
    if m < 1:
        raise ValueError("m must be at least 1")
    panels = distribution.panels
    ends: list[float] = []
    acc = 0.0
    for panel in panels:
        acc += panel.probability
        ends.append(acc)
    ends[-1] = max(ends[-1], 1.0)
    best: tuple[float, list[int]] | None = None
    for o in range(OFFSETS):
        offset = (o + 0.5) / OFFSETS
        picks = [min(bisect.bisect_right(ends, (r + offset) / m), len(panels) - 1) for r in range(m)]
        probs = _lottery_marginals(distribution, picks, m)
        change = max(abs(probs[i] - p) for i, p in distribution.probabilities.items())
        if best is None or change < best[0] - 1e-15:
            best = (change, picks)
    assert best is not None
    change, picks = best
    probs = _lottery_marginals(distribution, picks, m)
    return Lottery(
        panels=tuple(panels[i].members for i in picks),
        probabilities=probs,
        max_probability_change=change,
        min_probability=min(probs.values()),
    )


def _lottery_marginals(distribution: Distribution, picks: list[int], m: int) -> dict[str, float]:
    counts: dict[str, int] = dict.fromkeys(distribution.probabilities, 0)
    for i in picks:
        for member in distribution.panels[i].members:
            counts[member] += 1
    return {rid: c / m for rid, c in counts.items()}


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def commitment(
    problem: SelectionProblem,
    *,
    algorithm: str,
    panels: Sequence[Sequence[str]],
    randomness_source: str,
    version: str = ENGINE_VERSION,
) -> str:
    """SHA-256 (hex) of the canonical record of the pool, quotas, k, algorithm,
    version, the lottery's panels and the announced source of randomness."""
    record = {
        "pool": [
            {
                "id": r.id,
                "features": {str(c): str(v) for c, v in r.features.items()},
                "household": r.household,
            }
            for r in problem.respondents
        ],
        "quotas": sorted(
            [q.category, q.feature, q.min, q.max, q.min_flex, q.max_flex] for q in problem.quotas
        ),
        "k": problem.panel_size,
        "seated": sorted(problem.seated),
        "algorithm": algorithm,
        "version": version,
        "panels": [sorted(p) for p in panels],
        "randomness_source": randomness_source,
    }
    return hashlib.sha256(_canonical_json(record)).hexdigest()


def draw_index(commitment_hex: str, randomness: str, m: int) -> int:
    """Uniform index in [0, m) from the commitment and the public randomness."""
    if m < 1:
        raise ValueError("m must be at least 1")
    seed = hashlib.sha256(commitment_hex.encode("ascii") + b"\x00" + randomness.encode("utf-8")).digest()
    space = 1 << 256
    limit = space - space % m  # accept only values below a multiple of m: no modulo bias
    counter = 0
    while True:
        block = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        value = int.from_bytes(block, "big")
        if value < limit:
            return value % m
        counter += 1


def draw(
    lottery_panels: Sequence[Sequence[str]], commitment_hex: str, randomness: str
) -> tuple[int, tuple[str, ...]]:
    """The drawn index and panel (members sorted) of the committed lottery."""
    index = draw_index(commitment_hex, randomness, len(lottery_panels))
    return index, tuple(sorted(lottery_panels[index]))


def verify(
    problem: SelectionProblem,
    *,
    algorithm: str,
    panels: Sequence[Sequence[str]],
    randomness_source: str,
    randomness: str,
    commitment_hex: str,
    selected: Sequence[str],
    version: str = ENGINE_VERSION,
) -> bool:
    """True when the commitment matches the inputs and ``selected`` is the panel
    they draw; any changed input (pool, quota, k, panels, source, randomness) fails."""
    expected = commitment(
        problem, algorithm=algorithm, panels=panels, randomness_source=randomness_source, version=version
    )
    if expected != commitment_hex or not panels:
        return False
    _, panel = draw(panels, expected, randomness)
    return sorted(panel) == sorted(selected)


def lottery_quality(distribution: Distribution, lottery: Lottery) -> dict[str, float]:
    """Plain numbers for reports."""
    return {
        "m": float(lottery.m),
        "max_probability_change": lottery.max_probability_change,
        "min_probability": lottery.min_probability,
        "distribution_min_probability": distribution.min_probability,
        "log10_m": math.log10(lottery.m),
    }
