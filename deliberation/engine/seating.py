"""The search state: who sits where in each computed round, with the counts that
make a swap cheap to evaluate.

Pairs are remembered as bit masks of the rounds they shared a table in. A pair
that met in rounds S costs the weights of every meeting but the first
(sum of w[r] for r in S minus w[min S]); weights fall with the round so that a
repeat late in the day costs less than an early one. Adding a meeting in round
r to a pair that already met in S' costs w[max(r, min S')], so a swap is
evaluated by looking only at the two tables involved.
"""

from __future__ import annotations

from .prepare import Room, Round


def round_weights(rounds: int, slope: float) -> list[float]:
    if rounds == 1:
        return [1.0]
    return [1.0 + slope * (rounds - 1 - r) / (rounds - 1) for r in range(rounds)]


class Seating:
    def __init__(self, room: Room, weights: list[float]) -> None:
        self.room = room
        self.w = weights
        n = len(room.ids)
        self.masks: list[list[int]] = [[0] * n for _ in range(n)]
        self.cost = 0.0
        for r, tables in enumerate(room.kept):
            for table in tables:
                self._meet(table, r, +1)
        self.rounds: list[Round] = room.free
        self.tab: list[list[int]] = [[-1] * n for _ in room.free]
        self.at: list[list[list[int]]] = [[[] for _ in range(room.tables)] for _ in room.free]
        self.big: list[list[int]] = [[0] * room.tables for _ in room.free]
        self.counts: list[list[list[int]]] = [
            [[0] * room.cell_count for _ in range(room.tables)] for _ in room.free
        ]
        self.oob = [0] * len(room.free)
        self.placed = [False] * len(room.free)
        self.cut_short = False  # a program was stopped by the time limit (the plan may differ by load)

    # -- pair bookkeeping -------------------------------------------------
    def _add_cost(self, mask: int, r: int) -> float:
        """Cost of adding round r to a pair whose other meetings are ``mask``."""
        if not mask:
            return 0.0
        low = (mask & -mask).bit_length() - 1
        return self.w[r] if r > low else self.w[low]

    def _meet(self, table: list[int], r: int, sign: int) -> None:
        bit = 1 << r
        masks = self.masks
        for a_pos, a in enumerate(table):
            row = masks[a]
            for b in table[a_pos + 1 :]:
                if sign > 0:
                    self.cost += self._add_cost(row[b], r)
                    row[b] |= bit
                    masks[b][a] |= bit
                else:
                    row[b] &= ~bit
                    masks[b][a] &= ~bit
                    self.cost -= self._add_cost(row[b], r)

    def join_cost(self, i: int, table: list[int], r: int, skip: int = -1) -> float:
        """What seating i with ``table`` in round r adds (i not yet there)."""
        row = self.masks[i]
        w = self.w
        total = 0.0
        for k in table:
            s = row[k]
            if s and k != skip:
                low = (s & -s).bit_length() - 1
                total += w[r] if r > low else w[low]
        return total

    def leave_cost(self, i: int, table: list[int], r: int, skip: int = -1) -> float:
        """What taking i away from ``table`` (where i sits in round r) saves."""
        row = self.masks[i]
        w = self.w
        clear = ~(1 << r)
        total = 0.0
        for k in table:
            s = row[k] & clear
            if s and k != skip and k != i:
                low = (s & -s).bit_length() - 1
                total += w[r] if r > low else w[low]
        return total

    # -- rounds -------------------------------------------------------------
    def band_misses(self, rl: int, t: int) -> int:
        rnd = self.rounds[rl]
        big = self.big[rl][t]
        low, high = rnd.low[big], rnd.high[big]
        counts = self.counts[rl][t]
        return sum(1 for c, k in enumerate(counts) if k < low[c] or k > high[c])

    def place(self, rl: int, tables: list[list[int]]) -> None:
        """Install a whole round (replacing what was there)."""
        if self.placed[rl]:
            self.clear(rl)
        rnd = self.rounds[rl]
        r = rnd.index
        cells = self.room.cells
        for t, table in enumerate(tables):
            self.at[rl][t] = list(table)
            self.big[rl][t] = 1 if len(table) > rnd.small else 0
            counts = self.counts[rl][t]
            for i in table:
                self.tab[rl][i] = t
                for c in cells[i]:
                    counts[c] += 1
            self._meet(self.at[rl][t], r, +1)
        self.placed[rl] = True
        self.oob[rl] = sum(self.band_misses(rl, t) for t in range(self.room.tables))

    def clear(self, rl: int) -> None:
        r = self.rounds[rl].index
        for t, table in enumerate(self.at[rl]):
            self._meet(table, r, -1)
            for i in table:
                self.tab[rl][i] = -1
            self.at[rl][t] = []
            self.counts[rl][t] = [0] * self.room.cell_count
        self.placed[rl] = False
        self.oob[rl] = 0

    def snapshot(self) -> list[list[list[int]]]:
        return [[list(t) for t in tables] for tables in self.at]

    def restore(self, tables_by_round: list[list[list[int]]]) -> None:
        for rl, tables in enumerate(tables_by_round):
            self.place(rl, tables)
