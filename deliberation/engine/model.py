"""Plain data passed in and out of the table allocation engine (no Django).

Table numbers are 1-based everywhere in this API, as organisers count them;
rounds are 1-based too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

ENGINE_VERSION = "1.0"


class TableError(Exception):
    """Base class of the engine's errors; the message is meant for an organiser."""


class InvalidInput(TableError):
    """The input is malformed or contradicts itself (unknown id, table out of range, ...)."""


class ConflictingRules(TableError):
    """The hard rules cannot all hold; the message names the conflict."""


@dataclass(frozen=True)
class Member:
    id: str
    attributes: Mapping[str, str]

    def __hash__(self) -> int:  # attributes is a mapping; identity is the id
        return hash(self.id)


@dataclass(frozen=True)
class SeatRule:
    """``member`` may only sit at ``tables``: in every round (``round`` None) or in one round.

    Several rules for one member intersect. ``source`` (e.g. "F.csv, line 3")
    is quoted in conflict messages.
    """

    member: str
    tables: frozenset[int]
    round: int | None = None
    source: str = ""


@dataclass(frozen=True)
class TableProblem:
    """A room to seat.

    ``kept`` holds rounds 1..len(kept) already held (each a list of tables, each
    a list of member ids); they are returned unchanged. ``absent`` members take
    no seat in the rounds computed here (from ``len(kept) + 1`` on).
    """

    members: Sequence[Member]
    tables: int
    rounds: int
    mix: Sequence[str]
    rules: Sequence[SeatRule] = ()
    apart: Sequence[tuple[str, str]] = ()
    kept: Sequence[Sequence[Sequence[str]]] = ()
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Repeat:
    a: str
    b: str
    times: int


@dataclass(frozen=True)
class OutOfBand:
    """A table whose count of one attribute value is more than one seat from its share."""

    round: int
    table: int
    attribute: str
    value: str
    count: int
    target: float


@dataclass(frozen=True)
class Progress:
    """Reported while the engine works; ``phase`` is "construct" or "search"."""

    phase: str
    seconds: float
    round: int | None = None
    repeated_pairs: int | None = None
    out_of_band: int | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Explanation:
    repeats: list[Repeat]
    out_of_band_cells: list[OutOfBand]
    distinct_met_mean: float

    @property
    def repeated_pairs(self) -> int:
        return sum(r.times - 1 for r in self.repeats)

    @property
    def out_of_band(self) -> int:
        return len(self.out_of_band_cells)


@dataclass(frozen=True)
class TablePlan:
    """The seating: ``rounds[r][t]`` lists the member ids at table t+1 in round r+1.

    The figures in ``explanation`` are computed from ``rounds`` itself.
    ``complete`` is False when the time limit stopped the search before it converged.
    """

    rounds: list[list[list[str]]]
    explanation: Explanation
    seed: int
    seconds: float
    complete: bool
    first_valid_seconds: float = 0.0
    stats: dict[str, float] = field(default_factory=dict)
