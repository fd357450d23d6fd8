"""Reads of the power-literacy part: the power map's points (and its SVG
geometry) and, per recommendation, whether insider and outsider pressure are
both being applied.

``power_map(..., internal=False)`` returns plain records without the
organisers' internal notes, so that a member's page cannot show them even by
mistake."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from advocacy.models import (
    PowerForm,
    PowerLevel,
    Space,
    Stakeholder,
    StakeholderStance,
    Stance,
    Tactic,
    TacticKind,
    TacticStatus,
)
from assemblies.models import Assembly
from recommendations.models import Recommendation, RecommendationStatus

# The map's horizontal axis, left to right; "unknown" stands apart on the right.
STANCE_AXIS = [Stance.OPPONENT, Stance.NEUTRAL, Stance.ALLY, Stance.CHAMPION, Stance.UNKNOWN]
STANCE_ORDER = {Stance.CHAMPION: 0, Stance.ALLY: 1, Stance.OPPONENT: 2, Stance.NEUTRAL: 3, Stance.UNKNOWN: 4}
# Colour by space (a palette readable by colour-blind people), shape by form.
SPACE_COLOURS = {Space.CLOSED: "#b2182b", Space.INVITED: "#2166ac", Space.CLAIMED: "#1b7837"}
FORM_SHAPES = {PowerForm.VISIBLE: "circle", PowerForm.HIDDEN: "square", PowerForm.INVISIBLE: "diamond"}
LEVEL_LETTERS = {PowerLevel.LOCAL: "L", PowerLevel.NATIONAL: "N", PowerLevel.GLOBAL: "G"}

# Geometry (SVG user units): a left margin for the influence labels, a bottom one for the stances.
WIDTH, HEIGHT = 400, 380
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 10, 50
COLUMN = (WIDTH - LEFT - RIGHT) / len(STANCE_AXIS)
ROW = (HEIGHT - TOP - BOTTOM) / 5


def adopted(assembly: Assembly) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED).order_by(
        "number"
    )


@dataclass
class Point:
    """One stakeholder on the map (no internal notes unless asked for)."""

    pk: int
    name: str
    kind_label: Any
    role: str
    influence: int
    stance: str
    stance_label: Any
    space: str
    space_label: Any
    level: str
    level_label: Any
    form: str
    form_label: Any
    stances: list[tuple[int, str, Any]]  # (recommendation number, title, stance label)
    internal_notes: str = ""
    x: float = 0.0
    y: float = 0.0
    colour: str = ""
    shape: str = "circle"
    letter: str = ""
    number: int = 0  # its number on the map, matching the table

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 12:.1f} {x + 12:.1f},{y:.1f} {x:.1f},{y + 12:.1f} {x - 12:.1f},{y:.1f}"


@dataclass
class PowerMap:
    points: list[Point]
    recommendation: Recommendation | None
    width: int = WIDTH
    height: int = HEIGHT
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    legend_spaces: list[tuple[Any, str]] = field(default_factory=list)
    legend_forms: list[tuple[Any, str]] = field(default_factory=list)
    plot: dict[str, float] = field(default_factory=dict)


def _overall(stances: list[str]) -> str:
    """Without a chosen recommendation: the stance the stakeholder takes most often
    (ties go to the stronger stance), or unknown."""
    if not stances:
        return Stance.UNKNOWN
    counts = Counter(stances)
    return min(counts, key=lambda s: (-counts[s], STANCE_ORDER.get(s, 9)))  # type: ignore[call-overload]


def power_map(
    assembly: Assembly, *, recommendation: Recommendation | None = None, internal: bool = False
) -> PowerMap:
    """The stakeholders of ``assembly`` placed by stance (x) and influence (y):
    on ``recommendation`` when one is chosen, else by their most common stance."""
    stances_qs = StakeholderStance.objects.select_related("recommendation").order_by("recommendation__number")
    stakeholders = (
        Stakeholder.objects.filter(assembly=assembly)
        .prefetch_related(Prefetch("stances", queryset=stances_qs))
        .order_by("-influence", "name", "id")
    )
    points: list[Point] = []
    for s in stakeholders:
        rows = list(s.stances.all())
        if recommendation is not None:
            chosen = [r.stance for r in rows if r.recommendation_id == recommendation.pk]
            stance = chosen[0] if chosen else Stance.UNKNOWN
        else:
            stance = _overall([r.stance for r in rows if r.stance != Stance.UNKNOWN])
        points.append(
            Point(
                pk=s.pk,
                name=s.name,
                kind_label=s.get_kind_display(),
                role=s.role,
                influence=s.influence,
                stance=stance,
                stance_label=Stance(stance).label,
                space=s.space,
                space_label=s.get_space_display(),
                level=s.level,
                level_label=s.get_level_display(),
                form=s.form,
                form_label=s.get_form_display(),
                stances=[
                    (r.recommendation.number, r.recommendation.title, r.get_stance_display()) for r in rows
                ],
                internal_notes=s.internal_notes if internal else "",
                colour=SPACE_COLOURS.get(s.space, "#555555"),  # type: ignore[call-overload]
                shape=FORM_SHAPES.get(s.form, "circle"),  # type: ignore[call-overload]
                letter=LEVEL_LETTERS.get(s.level, "?"),  # type: ignore[call-overload]
            )
        )
    _place(points)
    return PowerMap(
        points=points,
        recommendation=recommendation,
        columns=[
            {
                "label": s.label,
                "x": LEFT + COLUMN * (i + 0.5),
                "x0": LEFT + COLUMN * i,
                "apart": s == Stance.UNKNOWN,
            }
            for i, s in enumerate(STANCE_AXIS)
        ],
        rows=[
            {"label": str(level), "y": TOP + ROW * (5 - level + 0.5), "y0": TOP + ROW * (5 - level)}
            for level in range(5, 0, -1)
        ],
        legend_spaces=[(label, SPACE_COLOURS[Space(value)]) for value, label in Space.choices],
        legend_forms=[(label, FORM_SHAPES[PowerForm(value)]) for value, label in PowerForm.choices],
        plot={
            "left": LEFT,
            "top": TOP,
            "right": WIDTH - RIGHT,
            "bottom": HEIGHT - BOTTOM,
            "unknown_x": LEFT + COLUMN * 4,
        },
    )


def _place(points: list[Point]) -> None:
    """Spread the points that share a cell (same stance, same influence) across it."""
    cells: dict[tuple[str, int], list[Point]] = defaultdict(list)
    for number, point in enumerate(points, start=1):
        point.number = number
        cells[(point.stance, point.influence)].append(point)
    for (stance, influence), members in cells.items():
        column = STANCE_AXIS.index(Stance(stance))
        per_row = 3
        for i, point in enumerate(members):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(members) - row * per_row)
            step = COLUMN / (in_row + 1)
            point.x = round(LEFT + COLUMN * column + step * (col + 1), 1)
            point.y = round(
                TOP + ROW * (5 - influence) + ROW / 2 + (row - 0.5 * ((len(members) - 1) // per_row)) * 26, 1
            )


# --- pressure: insider and outsider -------------------------------------------------------------
ONLY_INSIDER = "only_insider"
ONLY_OUTSIDER = "only_outsider"
NONE = "none"
BOTH = "both"
FLAG_LABELS = {
    BOTH: _("Both kinds of pressure"),
    ONLY_INSIDER: _("Only insider pressure"),
    ONLY_OUTSIDER: _("Only outsider pressure"),
    NONE: _("No pressure yet"),
}


@dataclass(frozen=True)
class Pressure:
    insider: int
    outsider: int

    @property
    def flag(self) -> str:
        if self.insider and self.outsider:
            return BOTH
        if self.insider:
            return ONLY_INSIDER
        if self.outsider:
            return ONLY_OUTSIDER
        return NONE

    @property
    def flag_label(self) -> Any:
        return FLAG_LABELS[self.flag]


_LIVE = ~Q(tactics__status=TacticStatus.DROPPED)


def _counts() -> dict[str, Any]:
    return {
        "n_insider": Count("tactics", filter=Q(tactics__kind=TacticKind.INSIDER) & _LIVE, distinct=True),
        "n_outsider": Count("tactics", filter=Q(tactics__kind=TacticKind.OUTSIDER) & _LIVE, distinct=True),
    }


def pressure(recommendation: Recommendation) -> Pressure:
    """How many live (not dropped) insider and outsider tactics serve ``recommendation``."""
    rows = Tactic.objects.filter(recommendations=recommendation).exclude(status=TacticStatus.DROPPED)
    counts = dict(rows.values_list("kind").annotate(n=Count("id", distinct=True)).order_by())
    return Pressure(insider=counts.get(TacticKind.INSIDER, 0), outsider=counts.get(TacticKind.OUTSIDER, 0))


@dataclass(frozen=True)
class PressureRow:
    recommendation: Recommendation
    pressure: Pressure


def pressure_table(assembly: Assembly) -> list[PressureRow]:
    """Every adopted recommendation with its pressure, in one query."""
    recs = adopted(assembly).annotate(**_counts())
    return [PressureRow(r, Pressure(insider=r.n_insider, outsider=r.n_outsider)) for r in recs]  # type: ignore[attr-defined]


def tactics_list(assembly: Assembly) -> QuerySet[Tactic]:
    return (
        Tactic.objects.filter(assembly=assembly)
        .select_related("target", "owner")
        .prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")))
        .order_by("kind", "-starts_on", "title")
    )
