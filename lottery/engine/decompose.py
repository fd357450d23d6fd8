"""Turn a distribution over type-count panels into one over individual panels.

Panel i of the type-level distribution occupies the interval I_i (length q_i) of
u in [0, 1). For each type separately, members (all needing the same
probability p) are scheduled into the x_{t,i} parallel "slots" of each I_i with
McNaughton's wrap-around rule; a member receives at most q_i inside panel i, so
it never sits in two slots at the same u. Panels are processed by decreasing
x_{t,i}, members by largest remaining need (the level rule), and a member gets
at least what it can no longer fit in later panels, so every need is met
exactly. The common refinement of all breakpoints gives the individual panels.
Arithmetic is exact (fractions); probabilities are converted to float at the end.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np

from .model import SortitionError

DENOMINATOR = 2**48


def exact_weights(weights: np.ndarray) -> list[Fraction]:
    """Rational weights close to ``weights`` summing to exactly 1."""
    scaled = [round(float(w) * DENOMINATOR) for w in weights]
    scaled = [max(0, s) for s in scaled]
    biggest = max(range(len(scaled)), key=lambda i: (scaled[i], -i))
    scaled[biggest] += DENOMINATOR - sum(scaled)
    return [Fraction(s, DENOMINATOR) for s in scaled]


Interval = tuple[Fraction, Fraction, int]  # offset start, offset end, member


def _water_fill(remaining: list[Fraction], q: Fraction, capacity: Fraction) -> list[Fraction]:
    """Amounts min(q, max(0, r_j - level)) adding up to ``capacity`` (the level rule).

    Taking from the largest remaining needs first keeps every later panel
    feasible; it is the fallback when the sparse transport solution is unusable.
    """

    def total(level: Fraction) -> Fraction:
        return sum((min(q, max(Fraction(0), r - level)) for r in remaining), Fraction(0))

    points = sorted({r for r in remaining} | {r - q for r in remaining} | {Fraction(0)})
    points = [p for p in points if p >= 0]
    hi = len(points) - 1  # total(points[-1]) == 0 <= capacity
    lo = 0
    if total(points[0]) < capacity:
        raise SortitionError("Panel decomposition failed (not enough remaining need).")
    while hi - lo > 1:  # total is non-increasing; find adjacent points bracketing capacity
        mid = (lo + hi) // 2
        if total(points[mid]) >= capacity:
            lo = mid
        else:
            hi = mid
    a, b = points[lo], points[hi]
    ta, tb = total(a), total(b)
    level = a if ta == tb else a + (ta - capacity) * (b - a) / (ta - tb)
    return [min(q, max(Fraction(0), r - level)) for r in remaining]


def _greedy_plan(
    need: Fraction, c: int, order: list[int], seats: list[int], lengths: list[Fraction]
) -> dict[int, list[Fraction]] | None:
    """Members one by one take whole panel durations, preferring the panels with
    the most open slots left (the Gale-Ryser/Havel-Hakimi rule), so that almost
    every (member, panel) share is 0 or q_i and few panels are cut.

    Returns None if some need or slot is left over (the caller falls back).
    """
    left = {i: seats[i] * lengths[i] for i in order}
    plan = {i: [Fraction(0)] * c for i in order}
    for j in range(c):
        want = need
        ranked = sorted(order, key=lambda i: (-(left[i] / lengths[i]), i))
        for i in ranked:
            if want == 0:
                break
            take = min(lengths[i], left[i], want)
            if take > 0:
                plan[i][j] = take
                left[i] -= take
                want -= take
        if want != 0:
            return None
    if any(v != 0 for v in left.values()):
        return None
    return plan


def _schedule_type(
    members: tuple[int, ...], seats: list[int], lengths: list[Fraction]
) -> dict[int, list[Interval]]:
    """Per panel index, the (start, end, member) intervals within that panel."""
    c = len(members)
    need = sum((Fraction(s) * q for s, q in zip(seats, lengths, strict=True)), Fraction(0)) / c
    order = sorted(
        (i for i in range(len(seats)) if seats[i] > 0 and lengths[i] > 0), key=lambda i: (-seats[i], i)
    )
    plan = _greedy_plan(need, c, order, seats, lengths)
    if plan is None:
        plan = {}
        remaining = [need] * c
        for i in order:
            amounts = _water_fill(remaining, lengths[i], seats[i] * lengths[i])
            remaining = [r - a for r, a in zip(remaining, amounts, strict=True)]
            plan[i] = amounts
        if any(r != 0 for r in remaining):
            raise SortitionError("Panel decomposition failed (a need was not met).")
    out: dict[int, list[Interval]] = {}
    for i in order:
        q = lengths[i]
        intervals: list[Interval] = []
        pos = Fraction(0)
        for j, a in enumerate(plan[i]):
            if a == 0:
                continue
            if pos + a <= q:
                intervals.append((pos, pos + a, members[j]))
                pos = pos + a if pos + a < q else Fraction(0)
            else:
                intervals.append((pos, q, members[j]))
                pos = a - (q - pos)
                intervals.append((Fraction(0), pos, members[j]))
        out[i] = intervals
    return out


def decompose(
    type_members: list[tuple[int, ...]],
    panels: np.ndarray,
    weights: list[Fraction],
) -> list[tuple[list[int], Fraction]]:
    """Individual panels (member indices) with exact probabilities, in u order."""
    n_panels = len(weights)
    per_panel: list[list[Interval]] = [[] for _ in range(n_panels)]
    for t, members in enumerate(type_members):
        seats = [int(panels[i, t]) for i in range(n_panels)]
        if len(members) == 1:
            for i in range(n_panels):
                if seats[i] and weights[i] > 0:
                    per_panel[i].append((Fraction(0), weights[i], members[0]))
            continue
        for i, intervals in _schedule_type(members, seats, weights).items():
            per_panel[i].extend(intervals)
    result: list[tuple[list[int], Fraction]] = []
    for i in range(n_panels):
        q = weights[i]
        if q == 0:
            continue
        starts: dict[Fraction, list[int]] = {}
        ends: dict[Fraction, list[int]] = {}
        for a, b, m in per_panel[i]:
            if b > a:
                starts.setdefault(a, []).append(m)
                ends.setdefault(b, []).append(m)
        points = sorted(set(starts) | set(ends) | {Fraction(0), q})
        active: set[int] = set()
        for left, right in pairwise(points):
            for m in ends.get(left, []):
                active.discard(m)
            for m in starts.get(left, []):
                active.add(m)
            if right > left:
                seated_now = sorted(active)
                if result and result[-1][0] == seated_now:
                    result[-1] = (seated_now, result[-1][1] + (right - left))
                else:
                    result.append((seated_now, right - left))
    return result
