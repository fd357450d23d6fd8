"""Reads for the selection screens and the public page: aggregates only,
small groups suppressed on anything public."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assemblies.figures import Tally, tally
from assemblies.formatting import percent as format_percent
from assemblies.models import Assembly
from assemblies.privacy import shown_count
from lottery import engine
from lottery.engine.infeasibility import find_panel, infeasibility_error
from lottery.engine.prepare import prepare
from lottery.models import Answer, DrawStatus, Feature, Respondent, RespondentStatus, RunKind, SelectionRun
from lottery.models.selection import summarise_bundle

from .charts import probability_chart
from .problem import FRESH_POOL, ON_PANEL, build_problem, panel_size_of, pool_of

#: A run in these states is being computed (or about to be).
ACTIVE = (DrawStatus.QUEUED, DrawStatus.RUNNING)


@dataclass
class FeatureRow:
    category: str
    feature: str
    label: str
    min_seats: int
    max_seats: int
    population_share: Any
    pool: int
    relaxation: str = ""


@dataclass
class Feasibility:
    ok: bool
    message: str
    rows: list[FeatureRow]
    pool_size: int
    incomplete: int
    panel_size: int


def quota_feasibility(assembly: Assembly) -> Feasibility:
    """Per feature: the quota, how many in the pool have it, and whether the
    quotas can be met together (the engine's diagnosis, in plain words)."""
    counts = dict(
        Answer.objects.filter(assembly=assembly, respondent__status__in=FRESH_POOL)
        .values_list("feature_id")
        .annotate(n=Count("id"))
        .values_list("feature_id", "n")
    )
    features = list(Feature.objects.filter(assembly=assembly).select_related("category"))
    language = get_language()
    rows = [
        FeatureRow(
            category=f.category.label_in(language) or f.category.name,
            feature=f.value,
            label=f.label_in(language),
            min_seats=f.min_seats,
            max_seats=f.max_seats,
            population_share=f.population_share,
            pool=counts.get(f.pk, 0),
        )
        for f in features
    ]
    pool, incomplete = pool_of(assembly)
    k = panel_size_of(assembly)
    if k < 1:
        return Feasibility(False, _("Set the number of seats first."), rows, len(pool), incomplete, k)
    if not features:
        return Feasibility(
            False, _("There are no quotas yet: add categories and features."), rows, len(pool), incomplete, k
        )
    problem = build_problem(assembly)
    try:
        prep = prepare(problem)
        if find_panel(prep) is not None:
            return Feasibility(
                True,
                _("The quotas can be met: at least one panel of this pool meets all of them."),
                rows,
                len(pool),
                incomplete,
                k,
            )
        error = infeasibility_error(prep)
    except engine.InfeasibleQuotas as exc:
        error = exc
    except engine.SortitionError as exc:
        return Feasibility(False, str(exc), rows, len(pool), incomplete, k)
    by_key = {(f.category.name, f.value): row for f, row in zip(features, rows, strict=True)}
    for r in error.relaxations:
        row = by_key.get((r.category, r.feature))
        if row is not None:
            row.relaxation = (
                _("lower the minimum from %(old)s to %(new)s")
                if r.bound == "min"
                else _("raise the maximum from %(old)s to %(new)s")
            ) % {"old": r.old, "new": r.new}
    return Feasibility(False, str(error), rows, len(pool), incomplete, k)


def runs_for(assembly: Assembly) -> list[SelectionRun]:
    return list(
        SelectionRun.objects.filter(assembly=assembly)
        .select_related("replaces")
        .defer("bundle")
        .order_by("-created_at")
    )


def bundle_summary(run: SelectionRun) -> dict[str, Any]:
    """What the public page shows of a run's bundle: its quotas and stats and
    the sizes of its pool and panels, stored beside the bundle (which holds
    the whole pool and every panel: hundreds of kilobytes)."""
    return run.summary or summarise_bundle(None)  # a run not computed yet: empty figures


def published_runs(assembly: Assembly) -> tuple[SelectionRun | None, list[SelectionRun]]:
    """The committed or drawn lottery (the latest), and the replacement draws
    that followed (oldest first), in one query (each with its summary, not its bundle)."""
    visible = (DrawStatus.COMMITTED, DrawStatus.DRAWN)
    found = SelectionRun.objects.filter(
        assembly=assembly, kind__in=(RunKind.SELECTION, RunKind.REPLACEMENT), status__in=visible
    ).defer("bundle")
    runs = list(found.order_by("created_at", "id"))
    lotteries = [run for run in runs if run.kind == RunKind.SELECTION]
    main = max(lotteries, key=lambda run: run.created_at) if lotteries else None
    replacements = [run for run in runs if run.kind == RunKind.REPLACEMENT]
    return main, replacements


@dataclass
class CompositionRow:
    category: str
    label: str
    min_seats: int
    max_seats: int
    seats: int
    shown: str
    ok: bool


def composition(assembly: Assembly, run: SelectionRun) -> list[CompositionRow]:
    """Seats per feature on the drawn panel (from the run's pseudonymous bundle)."""
    pool = {r["id"]: r["features"] for r in run.bundle.get("pool", [])}
    seats: Counter[tuple[str, str]] = Counter()
    for pseudonym in run.selected:
        for category, value in pool.get(pseudonym, {}).items():
            seats[(category, value)] += 1
    return _composition_rows(assembly, seats)


def features_of(assembly: Assembly) -> list[Feature]:
    """The assembly's features with their categories, read once for a page
    whose composition and vacancies both name them."""
    # The models' order within one assembly, spelt out: theirs starts with the
    # category's assembly, which joins the assembly table to sort by its date.
    in_order = ("category__order", "category__id", "order", "id")
    return list(Feature.objects.filter(assembly=assembly).select_related("category").order_by(*in_order))


def current_composition(assembly: Assembly, *, features: list[Feature] | None = None) -> list[CompositionRow]:
    """Seats per feature held today: everyone selected or confirmed, whether
    drawn, called from the reserves or drawn as a replacement."""
    seats: Counter[tuple[str, str]] = Counter(
        {
            (category, value): n
            # Filtered on the respondent's side (its assembly and status): the
            # planner then walks the panel's answers, not every answer of the assembly.
            for category, value, n in Answer.objects.filter(
                respondent__assembly=assembly, respondent__status__in=ON_PANEL
            )
            .values_list("category__name", "feature__value")
            .annotate(n=Count("id"))
        }
    )
    return _composition_rows(assembly, seats, features)


def _composition_rows(
    assembly: Assembly, seats: Counter[tuple[str, str]], features: list[Feature] | None = None
) -> list[CompositionRow]:
    rows = []
    language = get_language()
    for f in features if features is not None else features_of(assembly):
        n = seats[(f.category.name, f.value)]
        rows.append(
            CompositionRow(
                category=f.category.label_in(language) or f.category.name,
                label=f.label_in(language),
                min_seats=f.min_seats,
                max_seats=f.max_seats,
                seats=n,
                shown=shown_count(n),
                ok=f.min_seats <= n <= f.max_seats,
            )
        )
    return rows


@dataclass(frozen=True)
class PanelFigures:
    """The panel's figures, one definition each: every screen, public page and
    the API read them from ``panel_figures`` so that no two can disagree.

    ``selected`` are drawn (or called from the reserves) and not yet confirmed;
    ``vacant`` are seats left by people who declined or dropped out and not yet
    given to anyone; ``reserves`` are still on the reserve list."""

    seats: int
    selected: int
    confirmed: int
    declined: int
    withdrawn: int
    reserves: int
    vacant: int
    drawn: bool

    @property
    def unconfirmed(self) -> int:
        """Seats without a confirmed member: still to confirm, or vacant."""
        return self.selected + self.vacant


class _Unread(Enum):
    UNREAD = "unread"


def panel_figures(assembly: Assembly, *, drawn: int | _Unread | None = _Unread.UNREAD) -> PanelFigures:
    """Seats, selected, confirmed, declined, dropped out, reserves, vacant (two
    queries; one when the caller has read the lottery already and gives
    ``drawn``: the drawn lottery's seats, or None when none is drawn)."""
    # One count per status, in one statement (assemblies.figures: a tenth of
    # the ORM's work for a grouped count; the (assembly, status) index serves each).
    names = ("selected", "confirmed", "declined", "withdrawn", "reserves")
    statuses = (
        RespondentStatus.SELECTED,
        RespondentStatus.CONFIRMED,
        RespondentStatus.DECLINED,
        RespondentStatus.WITHDRAWN,
        RespondentStatus.RESERVE,
    )
    found = tally(*(Tally(Respondent, {"assembly": assembly.pk, "status": s.value}) for s in statuses))
    counts = dict(zip(names, found, strict=True))
    if drawn is _Unread.UNREAD:
        drawn = (
            SelectionRun.objects.filter(assembly=assembly, kind=RunKind.SELECTION, status=DrawStatus.DRAWN)
            .values_list("panel_size", flat=True)
            .first()
        )
    seats = drawn if drawn is not None else panel_size_of(assembly)
    on_panel = counts["selected"] + counts["confirmed"]
    vacant = max(0, seats - on_panel) if drawn is not None else 0
    return PanelFigures(seats=seats, vacant=vacant, drawn=drawn is not None, **counts)


def vacant_seats(assembly: Assembly) -> int:
    """Seats of the drawn panel left by people who declined or dropped out."""
    return panel_figures(assembly).vacant


def confirmation_counts(assembly: Assembly) -> dict[str, int]:
    """The panel figures as a mapping (kept for callers that index by name)."""
    figures = panel_figures(assembly)
    return {
        "seats": figures.seats,
        "selected": figures.selected,
        "confirmed": figures.confirmed,
        "declined": figures.declined,
        "withdrawn": figures.withdrawn,
        "reserves": figures.reserves,
        "vacant": figures.vacant,
    }


def percent(p: float | None) -> str:
    return format_percent(p)


def estimate_percent(p: float | None, runs: float | None) -> str:
    """A frequency estimated from ``runs`` draws: below one draw in ``runs``
    it only says so ("below 1.00 %" for 100 draws), never a false 0.00 %."""
    if p is None or not runs or p >= 1 / runs:
        return percent(p)
    return _("below %(p)s") % {"p": percent(1 / runs)}


# --- the selection screen's lists (read by lottery.selection.screens) ----------------------
def selected_people(assembly: Assembly) -> Any:
    """Everyone drawn into the panel, whatever became of them, by status."""
    from lottery.models import Respondent

    return (
        Respondent.objects.filter(
            assembly=assembly,
            status__in=[
                RespondentStatus.SELECTED,
                RespondentStatus.CONFIRMED,
                RespondentStatus.DECLINED,
                RespondentStatus.WITHDRAWN,
            ],
        )
        .only("pk", "pseudonym", "first_name", "last_name", "status", "assembly_id")
        .order_by("status", "pseudonym")
    )


def replaced_respondent_ids(assembly: Assembly) -> set[int]:
    """Respondents for whom a replacement draw has been started."""
    return set(
        SelectionRun.objects.filter(assembly=assembly, replaces__isnull=False)
        .exclude(status=DrawStatus.FAILED)
        .values_list("replaces_id", flat=True)
    )


def reserves(assembly: Assembly) -> Any:
    from lottery.models import Respondent

    return (
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE)
        .order_by("reserve_position")
        .only("pk", "pseudonym", "first_name", "last_name", "reserve_position")
    )


def _replacement_figures(run: SelectionRun) -> dict[str, Any]:
    """What a replacement run is judged by. Everyone still on the panel is
    seated with certainty, and candidates whose answers cannot keep the quotas
    have no chance at all, so the fresh lottery's figures (LEXIMIN minimum
    0.00 %, k/n) say nothing here: show the seats refilled, the candidates
    who could take one, and the chances among those."""
    bundle = run.bundle or {}
    seated = set(bundle.get("seated", []))
    probabilities = bundle.get("probabilities", {})
    candidates = {rid: p for rid, p in probabilities.items() if rid not in seated}
    if not probabilities:  # not computed yet: every pooled respondent who is not seated
        candidates = {r["id"]: 0.0 for r in bundle.get("pool", []) if r.get("id") not in seated}
    eligible = [p for p in candidates.values() if p > 1e-9]
    vacant = max(0, run.panel_size - len(seated))
    return {
        "vacant": vacant,
        "candidates": len(candidates),
        "eligible": len(eligible),
        "equal": percent(vacant / len(eligible)) if eligible else "—",
        "lowest": percent(min(eligible)) if eligible else "—",
        "highest": percent(max(eligible)) if eligible else "—",
    }


def run_figures(run: SelectionRun) -> dict[str, Any]:
    """What the run screen shows: fairness figures against the baselines, the
    probability chart and, once drawn, the panel's composition."""
    bundle = run.bundle or {}
    stats = bundle.get("stats", {})
    n = len(bundle.get("pool", []))
    probabilities = bundle.get("probabilities", {})
    return {
        "run": run,
        "stats": stats,
        "replacement": _replacement_figures(run) if run.kind == RunKind.REPLACEMENT else None,
        "figures": {
            "leximin": percent(run.min_probability),
            "baseline": percent(run.panel_size / n) if n else "—",
            "legacy": estimate_percent(run.legacy_min_probability, stats.get("legacy_runs")),
            "lottery": percent(stats.get("lottery_min_probability")),
        },
        "n": n,
        "baseline": (run.panel_size / n) if n else None,
        "chart": probability_chart(probabilities, run.panel_size) if probabilities else None,
        "composition": composition(run.assembly, run) if run.status == DrawStatus.DRAWN else [],
        "active": run.status in ACTIVE,
    }
