"""Proposing quotas (minimum and maximum seats) from population shares.

Pure: no Django import, plain data in and out, so that the proposal can be
tested on its own and reused by the API or a command.

For one category: the panel's k seats are shared out by the largest-remainder
(Hamilton) method, so the targets are whole numbers that add up to exactly k
and each is within one seat of share × k; then each target is widened by the
tolerance and clipped to [0, k]. "Prefer not to say" has no census share: it
gets 0..k, so it never makes a panel infeasible on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class FeatureShare:
    key: str
    #: Share of the population, in any unit (percent or fraction): shares are
    #: normalised within the category. None counts as 0.
    share: Decimal | float | int | None
    prefer_not_to_say: bool = False


@dataclass(frozen=True)
class SeatProposal:
    key: str
    target: int
    min_seats: int
    max_seats: int


def largest_remainder(weights: Sequence[Fraction], total: int) -> list[int]:
    """Whole numbers proportional to ``weights`` that add up to ``total``.

    Each gets the floor of its exact quota; the seats left go to the largest
    remainders (ties: the larger weight, then the earlier position, so the
    result is deterministic). All-zero weights give all zeros.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights, Fraction(0))
    if whole == 0:
        return [0] * len(weights)
    exact = [w * total / whole for w in weights]
    seats = [int(q) for q in exact]  # floor: quotas are non-negative
    left = total - sum(seats)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - seats[i]), -weights[i], i))
    for i in order[:left]:
        seats[i] += 1
    return seats


def _fraction(value: Decimal | float | int | None) -> Fraction:
    if value is None:
        return Fraction(0)
    if isinstance(value, float):
        # Through str, so that 33.3 means 333/10 rather than its binary value.
        return Fraction(str(value))
    return Fraction(value)


def propose_seats(features: Sequence[FeatureShare], *, panel_size: int, tolerance: int) -> list[SeatProposal]:
    """Minimum and maximum seats for the features of ONE category, in order.

    The targets of the features with a share add up to ``panel_size`` (when
    any share is positive); min = target - tolerance and max = target +
    tolerance, clipped to [0, panel_size]. Prefer-not-to-say gets 0..k.
    """
    if panel_size < 0 or tolerance < 0:
        raise ValueError("panel_size and tolerance must not be negative")
    counted = [f for f in features if not f.prefer_not_to_say]
    targets = dict(
        zip(
            (f.key for f in counted),
            largest_remainder([_fraction(f.share) for f in counted], panel_size),
            strict=True,
        )
    )
    proposals = []
    for feature in features:
        if feature.prefer_not_to_say:
            proposals.append(SeatProposal(feature.key, 0, 0, panel_size))
            continue
        target = targets[feature.key]
        proposals.append(
            SeatProposal(
                key=feature.key,
                target=target,
                min_seats=max(0, target - tolerance),
                max_seats=min(panel_size, target + tolerance),
            )
        )
    return proposals
