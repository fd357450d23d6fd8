"""First seatings of a round: a balance-aware greedy deal, or the balance program's.

The greedy deal seats the members with the fewest allowed tables first, then
the rest in a seeded random order, each at the open table (among those their
rules allow and free of anyone kept apart from them) that keeps the table
under its band, fills the values the table lacks, and repeats the fewest
earlier meetings. It can dead-end on tight rules; the caller then falls back
to the balance program, which is exact.
"""

from __future__ import annotations

import random

from .balance import BalancedRound
from .prepare import Room, Round
from .seating import Seating


def _order(room: Room, rnd: Round, rng: random.Random) -> list[int]:
    members = list(rnd.present)
    rng.shuffle(members)
    present = set(members)

    def key(i: int) -> tuple[int, int]:
        allowed = rnd.allowed.get(i)
        partners = sum(1 for j in room.apart[i] if j in present)
        return (len(allowed) if allowed is not None else room.tables + 1, -partners)

    return sorted(members, key=key)


def greedy_round(
    seating: Seating, rl: int, rng: random.Random, mixing: float = 4.0
) -> list[list[int]] | None:
    """A seating of round ``rl`` obeying every hard rule, or None at a dead end."""
    room, rnd = seating.room, seating.rounds[rl]
    r = rnd.index
    tables: list[list[int]] = [[] for _ in range(room.tables)]
    counts = [[0] * room.cell_count for _ in range(room.tables)]
    where: dict[int, int] = {}
    n = len(rnd.present)
    holders = [0] * room.cell_count
    for i in rnd.present:
        for c in room.cells[i]:
            holders[c] += 1
    bigs = 0
    high = rnd.high[1] if rnd.big else rnd.high[0]
    for i in _order(room, rnd, rng):
        allowed = rnd.allowed.get(i)
        cap = rnd.small + (1 if bigs < rnd.big else 0)
        best, best_score = -1, 0.0
        for t in range(room.tables) if allowed is None else sorted(allowed):
            table = tables[t]
            if len(table) >= cap or any(where.get(j) == t for j in room.apart[i]):
                continue
            size = len(table) + 1
            over = sum(1 for c in room.cells[i] if counts[t][c] + 1 > high[c])
            need = sum(counts[t][c] + 1 - holders[c] * size / n for c in room.cells[i])
            score = 1000 * over + need + mixing * seating.join_cost(i, table, r) + 0.01 * rng.random()
            if best < 0 or score < best_score:
                best, best_score = t, score
        if best < 0:
            return None
        tables[best].append(i)
        where[i] = best
        for c in room.cells[i]:
            counts[best][c] += 1
        if len(tables[best]) == rnd.small + 1:
            bigs += 1
    return tables


def from_balance(seating: Seating, rl: int, balanced: BalancedRound, rng: random.Random) -> list[list[int]]:
    """People for the program's per-table type counts, chosen to repeat few meetings."""
    room, rnd = seating.room, seating.rounds[rl]
    tables: list[list[int]] = [[] for _ in range(room.tables)]
    for g, members in enumerate(balanced.types):
        people = list(members)
        rng.shuffle(people)
        slots = {t: counts[g] for t, counts in enumerate(balanced.counts) if counts.get(g)}
        for i in people:
            t = min(slots, key=lambda t: (seating.join_cost(i, tables[t], rnd.index), t))
            tables[t].append(i)
            slots[t] -= 1
            if not slots[t]:
                del slots[t]
    return tables
