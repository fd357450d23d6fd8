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
    in_band: list[list[list[int]]] | None = (
        None  # penalty mode: the cheapest plan seen with every round in band
    )
    in_band_cost: float = 0.0


NEAR_SHARE = 0.7  # share of proposals that swap with a member differing in at most one attribute
COMPOUND_SHARE = 0.0  # band-safe double swaps: measured no fewer repeats (seeds 1-3), so off


def neighbours(s: Seating) -> list[list[int]]:
    """Per member, the present members whose values differ in at most one attribute.

    Most swaps of two random members push some table out of band; these rarely do.
    (Every computed round has the same members present.)
    """
    cells = s.room.cells
    present = s.rounds[0].present if s.rounds else []
    by_key: dict[tuple[int, ...], list[int]] = {}
    for i in present:
        for k in range(len(cells[i])):
            key = (k, *cells[i][:k], *cells[i][k + 1 :])
            by_key.setdefault(key, []).append(i)
    near: list[list[int]] = [[] for _ in cells]
    for i in present:
        found: set[int] = set()
        for k in range(len(cells[i])):
            found.update(by_key[(k, *cells[i][:k], *cells[i][k + 1 :])])
        found.discard(i)
        near[i] = sorted(found)
    return near


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
            for counts, lo, hi, c, step in (
                (ca, lo_a, hi_a, x, -1),
                (ca, lo_a, hi_a, y, 1),
                (cb, lo_b, hi_b, x, 1),
                (cb, lo_b, hi_b, y, -1),
            ):
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


def distance_out(s: Seating) -> int:
    """Seats out of band, summed over every cell of every round."""
    total = 0
    for rl, rnd in enumerate(s.rounds):
        for t, counts in enumerate(s.counts[rl]):
            lo, hi = rnd.low[s.big[rl][t]], rnd.high[s.big[rl][t]]
            total += sum(_excess(k, lo[c], hi[c]) for c, k in enumerate(counts))
    return total


def _propose(
    s: Seating,
    rng: random.Random,
    free: list[int],
    present: list[list[int]],
    similar: list[list[int]],
) -> tuple[int, int, int]:
    """A swap to try: a round, a member (mostly one who repeats a meeting at
    their table) and a partner (mostly one with a similar profile)."""
    rl = free[rng.randrange(len(free))] if len(free) > 1 else free[0]
    members = present[rl]
    i = members[rng.randrange(len(members))]
    if rng.random() < 0.7:
        tries = 0
        while tries < 3 and not s.leave_cost(i, s.at[rl][s.tab[rl][i]], s.rounds[rl].index):
            i = members[rng.randrange(len(members))]
            tries += 1
    near = similar[i]
    if near and rng.random() < NEAR_SHARE:
        j = near[rng.randrange(len(near))]
    else:
        j = members[rng.randrange(len(members))]
    return rl, i, j


class _Best:
    """The best plan seen, copied lazily: only when the search is about to leave it."""

    def __init__(self, s: Seating, key: tuple[int, float]) -> None:
        self.s = s
        self.key = key
        self.plan = s.snapshot()
        self.dirty = False  # the current plan is the best and has not been copied

    def leaving(self) -> None:
        if self.dirty:
            self.plan = self.s.snapshot()
            self.dirty = False

    def offer(self, key: tuple[int, float]) -> None:
        if key < self.key:
            self.key = key
            self.dirty = True

    def settle(self) -> None:
        if not self.dirty:
            self.s.restore(self.plan)


def _uphill_refused(d_cost: float, temperature: float, rng: random.Random) -> bool:
    return d_cost > 0 and (d_cost / temperature > 30 or rng.random() >= math.exp(-d_cost / temperature))


def compound_partners(s: Seating, rl: int, i: int, j: int, rng: random.Random) -> tuple[int, int] | None:
    """(k, m): k at j's table, m at i's, such that swapping i with j and k with m
    leaves every cell count of both tables as it was, so the band always holds.

    On each attribute where i and j differ, m holds j's value and k holds i's;
    elsewhere k and m share a value. None when the two tables hold no such pair.
    """
    cells = s.room.cells
    ci, cj = cells[i], cells[j]
    diff = [p for p in range(len(ci)) if ci[p] != cj[p]]
    at_b: dict[tuple[int, ...], list[int]] = {}
    for k in s.at[rl][s.tab[rl][j]]:
        if k != j:
            at_b.setdefault(tuple(cells[k]), []).append(k)
    found: list[tuple[int, int]] = []
    for m in s.at[rl][s.tab[rl][i]]:
        cm = cells[m]
        if m == i or any(cm[p] != cj[p] for p in diff):
            continue
        need = list(cm)
        for p in diff:
            need[p] = ci[p]
        found.extend((k, m) for k in at_b.get(tuple(need), ()))
    return found[rng.randrange(len(found))] if found else None


def _compound(
    s: Seating, rl: int, i: int, j: int, rng: random.Random, temperature: float, best: _Best
) -> bool:
    """Try the band-safe double swap i<->j, k<->m; True when it was made."""
    pair = compound_partners(s, rl, i, j, rng)
    if pair is None:
        return False
    first = swap_delta(s, rl, i, j)
    if first is None:
        return False
    k, m = pair
    apply_swap(s, rl, i, j)
    second = swap_delta(s, rl, k, m)  # in the middle state: checks i-m and j-k too
    if second is None:
        apply_swap(s, rl, i, j)
        return False
    d_cost = first[1] + second[1]
    if _uphill_refused(d_cost, temperature, rng):
        apply_swap(s, rl, i, j)
        return False
    if d_cost > 0 and best.dirty:  # copy the better plan before leaving it
        apply_swap(s, rl, i, j)
        best.leaving()
        apply_swap(s, rl, i, j)
    apply_swap(s, rl, k, m)
    return True


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
    penalty: float = 0.0,
    floor: list[int] | None = None,
) -> SearchResult:
    """Anneal from temperature ``start`` to ``end``; leaves ``s`` at the best plan seen.

    With ``penalty`` > 0, tables may leave their band at that price per seat out
    of band (a softer landscape to cross); the best plan is then the cheapest
    by that measure, and the caller brings its rounds back into band. Without
    it, a share of the proposals are band-safe double swaps (``compound_partners``).
    With ``floor`` (per round, the cells out of band it may keep), the penalty
    search also remembers the cheapest plan it crossed with no round above its
    floor (``SearchResult.in_band``), which the caller may prefer to a repair.
    """
    free = list(range(len(s.rounds))) if rounds is None else rounds
    present = [s.rounds[rl].present for rl in range(len(s.rounds))]
    similar = neighbours(s)
    best = _Best(s, (0 if penalty else sum(s.oob), s.cost + penalty * distance_out(s)))
    energy = best.key[1]
    accepted = 0
    ratio = end / start
    temperature = start
    stopped = False
    done = 0
    in_band = _InBandTracker(s, floor if penalty else None)
    for done in range(1, proposals + 1):
        if done % 2048 == 0:
            if time.monotonic() >= deadline:
                stopped = True
                break
            temperature = start * ratio ** (done / proposals)
            if on_tick is not None and done % 65536 == 0:
                on_tick(done)
        rl, i, j = _propose(s, rng, free, present, similar)
        if s.tab[rl][i] == s.tab[rl][j]:
            continue
        if not penalty and rng.random() < COMPOUND_SHARE:
            if _compound(s, rl, i, j, rng, temperature, best):
                accepted += 1
                best.offer((sum(s.oob), s.cost))
            continue
        priced = _priced_delta(s, rl, i, j, penalty)
        if priced is None:
            continue
        d_oob, d_cost = priced
        if penalty or d_oob == 0:
            if _uphill_refused(d_cost, temperature, rng):
                continue
            if d_cost > 0:
                best.leaving()
        in_band.before_move(s, rl)
        apply_swap(s, rl, i, j)
        s.oob[rl] += d_oob
        accepted += 1
        in_band.after_move(s, rl)
        if penalty:
            energy += d_cost
        best.offer((0, energy) if penalty else (sum(s.oob), s.cost))
        if best.key[0] == 0 and best.key[1] < 1e-9:
            break
    in_band.finish(s)
    best.settle()
    return SearchResult(done, accepted, stopped, in_band.plan, in_band.cost)


def _priced_delta(s: Seating, rl: int, i: int, j: int, penalty: float) -> tuple[int, float] | None:
    """(change in cells out of band, change in energy) of swapping i and j, or
    None when the swap breaks a rule or, without a penalty, leaves the band."""
    delta = swap_delta(s, rl, i, j)
    if delta is None:
        return None
    d_oob, d_cost = delta
    if penalty:
        d_oob, distance = excess_delta(s, rl, i, j)
        d_cost += penalty * distance
    elif d_oob > 0:
        return None
    return d_oob, d_cost


class _InBandTracker:
    """With a ``floor`` (per round, the cells out of band it may keep), the
    cheapest plan crossed with no round above its floor: copied lazily, just
    before the search leaves it, so a run of improvements costs one copy."""

    def __init__(self, s: Seating, floor: list[int] | None) -> None:
        self.floor = floor or []
        self.on = bool(self.floor)
        self.above = sum(1 for rl, k in enumerate(s.oob) if k > self.floor[rl]) if self.on else 0
        self.was = False
        self.plan: list[list[list[int]]] | None = None
        self.cost = s.cost
        self.dirty = False

    def before_move(self, s: Seating, rl: int) -> None:
        if self.dirty:  # the cheapest in-band plan is about to be left: copy it
            self.plan = s.snapshot()
            self.dirty = False
        if self.on:
            self.was = s.oob[rl] > self.floor[rl]

    def after_move(self, s: Seating, rl: int) -> None:
        if self.on:
            self.above += (s.oob[rl] > self.floor[rl]) - self.was
            if not self.above and s.cost < self.cost - 1e-9:
                self.cost = s.cost
                self.dirty = True

    def finish(self, s: Seating) -> None:
        if self.dirty:
            self.plan = s.snapshot()


def _excess(k: int, lo: int, hi: int) -> int:
    return lo - k if k < lo else (k - hi if k > hi else 0)


def excess_delta(s: Seating, rl: int, i: int, j: int) -> tuple[int, int]:
    """(change in out-of-band cells, change in total distance out of band) of swapping i and j."""
    rnd = s.rounds[rl]
    a, b = s.tab[rl][i], s.tab[rl][j]
    ca, cb = s.counts[rl][a], s.counts[rl][b]
    lo_a, hi_a = rnd.low[s.big[rl][a]], rnd.high[s.big[rl][a]]
    lo_b, hi_b = rnd.low[s.big[rl][b]], rnd.high[s.big[rl][b]]
    cells = distance = 0
    for x, y in zip(s.room.cells[i], s.room.cells[j], strict=True):
        if x == y:
            continue
        for counts, lo, hi, c, step in (
            (ca, lo_a, hi_a, x, -1),
            (ca, lo_a, hi_a, y, 1),
            (cb, lo_b, hi_b, x, 1),
            (cb, lo_b, hi_b, y, -1),
        ):
            before = _excess(counts[c], lo[c], hi[c])
            after = _excess(counts[c] + step, lo[c], hi[c])
            distance += after - before
            cells += (after > 0) - (before > 0)
    return cells, distance


def repair(
    s: Seating, rl: int, *, rng: random.Random, proposals: int, deadline: float, temperature: float = 0.5
) -> None:
    """Walk towards balance in round rl: swaps that never move a table further out of band."""
    members = s.rounds[rl].present
    tab = s.tab[rl]
    for done in range(proposals):
        if not s.oob[rl] or (done % 1024 == 0 and time.monotonic() >= deadline):
            return
        i = members[rng.randrange(len(members))]
        j = members[rng.randrange(len(members))]
        if tab[i] == tab[j]:
            continue
        delta = swap_delta(s, rl, i, j)
        if delta is None:
            continue
        cells, distance = excess_delta(s, rl, i, j)
        # progress towards the band first; sideways only without more repeats
        if distance > 0 or (distance == 0 and (cells > 0 or delta[1] > 0)):
            continue
        if distance < 0 and delta[1] > 0 and rng.random() >= math.exp(-delta[1] / temperature):
            continue
        apply_swap(s, rl, i, j)
        s.oob[rl] += cells


def _out_cells(s: Seating, rl: int) -> list[tuple[int, int, int]]:
    """(table, cell, +1 over / -1 under) for each cell of round rl out of band."""
    rnd = s.rounds[rl]
    found = []
    for t, counts in enumerate(s.counts[rl]):
        lo, hi = rnd.low[s.big[rl][t]], rnd.high[s.big[rl][t]]
        for c, k in enumerate(counts):
            if k > hi[c]:
                found.append((t, c, 1))
            elif k < lo[c]:
                found.append((t, c, -1))
    return found


def targeted_repair(s: Seating, rl: int, *, rng: random.Random, deadline: float) -> None:
    """Fix cells out of band one by one with the swap that costs the fewest repeats.

    For a table over its band in a value, a member holding it trades places
    with someone elsewhere (under: the reverse); among the swaps that bring the
    round closer to balance, the cheapest in repeated meetings wins.
    """
    members = s.rounds[rl].present
    cells = s.room.cells
    while s.oob[rl] and time.monotonic() < deadline:
        out = _out_cells(s, rl)
        t, c, side = out[rng.randrange(len(out))]
        best: tuple[float, int, int, int] | None = None
        here = s.at[rl][t]
        for i in here:
            if (c in cells[i]) != (side > 0):
                continue
            for j in members:
                if s.tab[rl][j] == t or (c in cells[j]) == (side > 0):
                    continue
                delta = swap_delta(s, rl, i, j)
                if delta is None:
                    continue
                d_cells, distance = excess_delta(s, rl, i, j)
                if distance >= 0 or d_cells > 0:
                    continue
                key = (delta[1], d_cells, i, j)
                if best is None or key < best:
                    best = key
        if best is None:
            return
        apply_swap(s, rl, best[2], best[3])
        s.oob[rl] += best[1]
