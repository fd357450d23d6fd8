"""Plain data passed in and out of the sortition engine (no Django)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

ENGINE_VERSION = "1.1"  # 1.1: LEXIMIN through the LP relaxation first


class SortitionError(Exception):
    """Base class of the engine's errors; the message is meant for an organiser."""


class InvalidInput(SortitionError):
    """The input is malformed or contradicts itself (bad value, k too large, ...)."""


class InfeasibleQuotas(SortitionError):
    """No panel of the pool meets every quota (and the household rule).

    ``relaxations`` holds the smallest relaxation found (may be empty when even
    the allowed flexibility cannot make the quotas hold).
    """

    def __init__(self, message: str, relaxations: Sequence[Relaxation] = ()) -> None:
        super().__init__(message)
        self.relaxations = list(relaxations)


@dataclass(frozen=True)
class Quota:
    """Seats for one feature of one category: ``min <= seats <= max``.

    ``min_flex``/``max_flex`` bound how far a suggested relaxation may go.
    """

    category: str
    feature: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None


@dataclass(frozen=True, eq=True)
class Respondent:
    id: str
    features: Mapping[str, str]
    household: str | None = None

    def __hash__(self) -> int:  # features is a mapping; identity is the id
        return hash(self.id)


@dataclass(frozen=True)
class SelectionProblem:
    """A pool, its quotas and the panel size; ``seated`` are ids already on the panel."""

    respondents: Sequence[Respondent]
    quotas: Sequence[Quota]
    panel_size: int
    seated: Sequence[str] = ()


@dataclass(frozen=True)
class Relaxation:
    category: str
    feature: str
    bound: str  # "min" or "max"
    old: int
    new: int


@dataclass(frozen=True)
class Panel:
    members: tuple[str, ...]
    probability: float


@dataclass(frozen=True)
class Progress:
    level: int
    panels: int
    minimum: float
    fixed: int
    types: int


ProgressCallback = Callable[[Progress], None]


@dataclass
class Distribution:
    """A probability distribution over valid panels.

    ``probabilities`` are exactly the marginals of ``panels`` (recomputed from them).
    """

    algorithm: str
    complete: bool
    panel_size: int
    panels: list[Panel]
    probabilities: dict[str, float]
    min_probability: float
    levels: int = 0
    seconds: float = 0.0
    stats: dict[str, float] = field(default_factory=dict)
    # How LEXIMIN was reached: "relaxation" (LP relaxation + face walk) or
    # "column generation"; empty for other algorithms.
    method: str = ""


@dataclass(frozen=True)
class Lottery:
    """A uniform lottery over ``panels`` (repeats allowed) rounded from a distribution."""

    panels: tuple[tuple[str, ...], ...]
    probabilities: dict[str, float]
    max_probability_change: float
    min_probability: float

    @property
    def m(self) -> int:
        return len(self.panels)
