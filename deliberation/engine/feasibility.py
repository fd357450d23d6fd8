"""Named conflicts: checks that find why the hard rules cannot all hold.

The messages count in organisers' terms ("7 members may only sit at table 12,
which seats 6"). They are necessary conditions; the integer program in
``balance`` is the exact test, and a round it finds infeasible gets a general
message naming the round.
"""

from __future__ import annotations

from .model import ConflictingRules
from .prepare import Room, Round


def _tables(tables: frozenset[int] | set[int]) -> str:
    numbers = sorted(t + 1 for t in tables)
    if len(numbers) == 1:
        return f"table {numbers[0]}"
    return "tables " + ", ".join(str(t) for t in numbers[:-1]) + f" and {numbers[-1]}"


def seats(rnd: Round, count: int) -> int:
    """The most members ``count`` tables can seat together in this round."""
    return count * rnd.small + min(count, rnd.big)


def _round_name(room: Room, rnd: Round) -> str:
    return f" in round {rnd.index + 1}" if room.rounds > 1 else ""


def _empty_rules(room: Room, rnd: Round) -> None:
    for i, tables in rnd.allowed.items():
        if not tables:
            where = "; ".join(s for s in rnd.sources.get(i, []) if s)
            detail = f" ({where})" if where else ""
            raise ConflictingRules(
                f"member {room.ids[i]!r} has no table left{_round_name(room, rnd)}: "
                f"their seat rules{detail} allow no common table."
            )


def _crowded(room: Room, rnd: Round) -> None:
    """Hall's condition on every set of tables a group of members is confined to."""
    groups = {tables for tables in rnd.allowed.values()}
    candidates = set(groups)
    for a in groups:  # unions of two groups catch most overlapping confinements
        for b in groups:
            if a & b or len(groups) < 40:
                candidates.add(a | b)
    for tables in sorted(candidates, key=lambda s: (len(s), sorted(s))):
        confined = [i for i, allowed in rnd.allowed.items() if allowed <= tables]
        room_for = seats(rnd, len(tables))
        if len(confined) > room_for:
            verb = "seats" if len(tables) == 1 else "seat"
            raise ConflictingRules(
                f"{len(confined)} members may only sit at {_tables(tables)}, which {verb} "
                f"{room_for}{_round_name(room, rnd)}."
            )
    for t in range(room.tables):
        willing = len(rnd.present) - sum(1 for allowed in rnd.allowed.values() if t not in allowed)
        if willing < rnd.small:
            raise ConflictingRules(
                f"table {t + 1} needs at least {rnd.small} members{_round_name(room, rnd)} "
                f"but only {willing} may sit there."
            )


def _apart_pairs(room: Room, rnd: Round) -> None:
    for i, allowed in rnd.allowed.items():
        if len(allowed) != 1:
            continue
        for j in room.apart[i]:
            if j > i and rnd.allowed.get(j) == allowed:
                raise ConflictingRules(
                    f"{room.ids[i]!r} and {room.ids[j]!r} are kept apart but may both only sit at "
                    f"{_tables(allowed)}{_round_name(room, rnd)}."
                )


def _apart_cliques(room: Room, rnd: Round) -> None:
    """More members all kept apart from one another than there are tables."""
    present = set(rnd.present)
    neighbours = {i: set(room.apart[i]) & present for i in present if room.apart[i]}
    if len(neighbours) <= room.tables:
        return
    budget = [20000]

    def grow(clique: list[int], candidates: set[int]) -> list[int] | None:
        if len(clique) > room.tables:
            return clique
        budget[0] -= 1
        if budget[0] < 0 or len(clique) + len(candidates) <= room.tables:
            return None
        for v in sorted(candidates):
            found = grow([*clique, v], {u for u in candidates & neighbours[v] if u > v})
            if found:
                return found
        return None

    clique = grow([], {v for v, ns in neighbours.items() if len(ns) >= room.tables})
    if clique:
        names = ", ".join(repr(room.ids[i]) for i in clique)
        raise ConflictingRules(
            f"{len(clique)} members ({names}) are all kept apart from one another, "
            f"but there are only {room.tables} tables."
        )


def check_round(room: Room, rnd: Round) -> None:
    """Raise ConflictingRules naming the first conflict found in this round."""
    _empty_rules(room, rnd)
    _crowded(room, rnd)
    _apart_pairs(room, rnd)
    _apart_cliques(room, rnd)
