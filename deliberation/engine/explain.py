"""The figures of a plan, computed from the plan itself (so they always match it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations

from .model import Explanation, OutOfBand, Repeat


def in_band(count: int, holders: int, seats: int, present: int) -> bool:
    """|count - p·s| <= 1 with p = holders/present, in exact integer arithmetic."""
    return abs(count * present - holders * seats) <= present


def band(holders: int, seats: int, present: int) -> tuple[int, int]:
    """The smallest and largest in-band count for a table of ``seats``."""
    low = -((present - holders * seats) // present)  # ceil((h·s - n) / n)
    high = (holders * seats + present) // present
    return max(low, 0), min(high, seats)


def out_of_band_cells(
    rounds: Sequence[Sequence[Sequence[str]]],
    attributes: Mapping[str, Mapping[str, str]],
    mix: Sequence[str],
) -> list[OutOfBand]:
    cells: list[OutOfBand] = []
    for r, tables in enumerate(rounds, start=1):
        present = sum(len(t) for t in tables)
        if not present:
            continue
        for attribute in mix:
            holders = Counter(attributes[m][attribute] for t in tables for m in t)
            for number, table in enumerate(tables, start=1):
                counts = Counter(attributes[m][attribute] for m in table)
                for value in sorted(holders):
                    count = counts.get(value, 0)
                    if not in_band(count, holders[value], len(table), present):
                        target = holders[value] * len(table) / present
                        cells.append(OutOfBand(r, number, attribute, value, count, round(target, 3)))
    return cells


def meetings(rounds: Sequence[Sequence[Sequence[str]]]) -> Counter[tuple[str, str]]:
    together: Counter[tuple[str, str]] = Counter()
    for tables in rounds:
        for table in tables:
            for a, b in combinations(sorted(table), 2):
                together[(a, b)] += 1
    return together


def explain(
    rounds: Sequence[Sequence[Sequence[str]]],
    attributes: Mapping[str, Mapping[str, str]],
    mix: Sequence[str],
) -> Explanation:
    together = meetings(rounds)
    repeats = [Repeat(a, b, k) for (a, b), k in sorted(together.items()) if k > 1]
    met: Counter[str] = Counter()
    for a, b in together:
        met[a] += 1
        met[b] += 1
    seated = {m for tables in rounds for table in tables for m in table}
    mean = sum(met[m] for m in seated) / len(seated) if seated else 0.0
    return Explanation(repeats, out_of_band_cells(rounds, attributes, mix), round(mean, 3))
