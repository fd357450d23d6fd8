"""Simulated annealing over swaps of two members between tables of one round.

A swap keeps every table's size; it is refused when it breaks a seat rule or a
kept-apart pair, or when it puts more cells of its round out of band (balance
comes first). Among swaps that keep balance, the weighted count of repeated
meetings decides, with the usual annealing acceptance. Work is counted in
proposals, not seconds, so a seed gives the same plan on any machine unless the
time limit cuts the search short.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from .seating import Seating


@dataclass
class SearchResult:
    proposals: int
    accepted: int
    stopped_by_time: bool


def swap_delta(s: Seating, rl: int, i: int, j: int) -> tuple[int, float] | None:
    """(change in out-of-band cells, change in cost) of swapping i and j; None if not allowed."""
    rnd = s.rounds[rl]
    tab = s.tab[rl]
    a, b = tab[i], tab[j]
    allowed = rnd.allowed
    if (i in allowed and b not in allowed[i]) or (j in allowed and a not in allowed[j]):
        return None
    apart = s.room.apart
    for k in apart[i]:
        if tab[k] == b and k != j:
            return None
    for k in apart[j]:
        if tab[k] == a and k != i:
            return None
    d_oob = 0
    ci, cj = s.room.cells[i], s.room.cells[j]
    if ci != cj:
        ca, cb = s.counts[rl][a], s.counts[rl][b]
        lo_a, hi_a = rnd.low[s.big[rl][a]], rnd.high[s.big[rl][a]]
        lo_b, hi_b = rnd.low[s.big[rl][b]], rnd.high[s.big[rl][b]]
        for x, y in zip(ci, cj, strict=True):
            if x == y:
                continue
            # table a loses value x and gains y; table b the reverse
            for counts, lo, hi, c, step in ((ca, lo_a, hi_a, x, -1), (ca, lo_a, hi_a, y, 1),
                                            (cb, lo_b, hi_b, x, 1), (cb, lo_b, hi_b, y, -1)):
                k = counts[c]
                before = k < lo[c] or k > hi[c]
                k += step
                after = k < lo[c] or k > hi[c]
                d_oob += after - before
    r = rnd.index
    at_a, at_b = s.at[rl][a], s.at[rl][b]
    d_cost = (
        s.join_cost(i, at_b, r, skip=j)
        - s.leave_cost(i, at_a, r)
        + s.join_cost(j, at_a, r, skip=i)
        - s.leave_cost(j, at_b, r)
    )
    return d_oob, d_cost


def apply_swap(s: Seating, rl: int, i: int, j: int) -> None:
    r = s.rounds[rl].index
    a, b = s.tab[rl][i], s.tab[rl][j]
    at_a, at_b = s.at[rl][a], s.at[rl][b]
    # leave: remove bit r from the pairs at the old tables
    bit = 1 << r
    masks = s.masks
    s.cost -= s.leave_cost(i, at_a, r) + s.leave_cost(j, at_b, r)
    for k in at_a:
        if k != i:
            masks[i][k] &= ~bit
            masks[k][i] &= ~bit
    for k in at_b:
        if k != j:
            masks[j][k] &= ~bit
            masks[k][j] &= ~bit
    at_a[at_a.index(i)] = j
    at_b[at_b.index(j)] = i
    s.cost += s.join_cost(i, at_b, r, skip=i) + s.join_cost(j, at_a, r, skip=j)
    for k in at_b:
        if k != i:
            masks[i][k] |= bit
            masks[k][i] |= bit
    for k in at_a:
        if k != j:
            masks[j][k] |= bit
            masks[k][j] |= bit
    s.tab[rl][i], s.tab[rl][j] = b, a
    ca, cb = s.counts[rl][a], s.counts[rl][b]
    for c in s.room.cells[i]:
        ca[c] -= 1
        cb[c] += 1
    for c in s.room.cells[j]:
        cb[c] -= 1
        ca[c] += 1


def anneal(
    s: Seating,
    *,
    rng: random.Random,
    proposals: int,
    deadline: float,
    start: float,
    end: float,
    on_tick: Callable[[int], None] | None = None,
    rounds: list[int] | None = None,
) -> SearchResult:
    """Anneal from temperature ``start`` to ``end``; leaves ``s`` at the best plan seen."""
    free = list(range(len(s.rounds))) if rounds is None else rounds
    present = [s.rounds[rl].present for rl in range(len(s.rounds))]
    best_key = (sum(s.oob), s.cost)
    best = s.snapshot()
    dirty = False
    accepted = 0
    ratio = end / start
    temperature = start
    stopped = False
    done = 0
    for done in range(1, proposals + 1):
        if done % 2048 == 0:
            now = time.monotonic()
            if now >= deadline:
                stopped = True
                break
            temperature = start * ratio ** (done / proposals)
            if on_tick is not None and done % 65536 == 0:
                on_tick(done)
        rl = free[rng.randrange(len(free))] if len(free) > 1 else free[0]
        members = present[rl]
        i = members[rng.randrange(len(members))]
        j = members[rng.randrange(len(members))]
        if s.tab[rl][i] == s.tab[rl][j]:
            continue
        delta = swap_delta(s, rl, i, j)
        if delta is None:
            continue
        d_oob, d_cost = delta
        if d_oob > 0:
            continue
        if d_oob == 0 and d_cost > 0:
            if d_cost / temperature > 30 or rng.random() >= math.exp(-d_cost / temperature):
                continue
            if dirty:  # about to leave a better plan: remember it first
                best = s.snapshot()
                dirty = False
        apply_swap(s, rl, i, j)
        s.oob[rl] += d_oob
        accepted += 1
        key = (sum(s.oob), s.cost)
        if key < best_key:
            best_key = key
            dirty = True
        if best_key[0] == 0 and best_key[1] < 1e-9:
            break
    if not dirty:
        s.restore(best)
    return SearchResult(done, accepted, stopped)
