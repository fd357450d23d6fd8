"""What the reports say: the reads behind the final report and the progress
reports. Everything here is what the public pages already show (the public
selectors of the lottery, the programme and the recommendations), so a report
never publishes more than the site: small groups suppressed, speakers named
only when they agreed, no votes linked to anyone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from assemblies.models import Assembly
from assemblies.translations import translated
from deliberation.evidence.selectors import public_evidence
from deliberation.models import Evidence, Session, SessionStatus
from deliberation.sessions.selectors import public_sessions
from lottery.models import DrawStatus, Feature, SelectionRun
from lottery.selection import selectors as lottery

from ..ballots import charts
from ..ballots.selectors import BallotResult, ballot_result, closed_ballots_prefetch
from ..models import Ballot, BallotStatus, MinorityStatement, Recommendation, RecommendationStatus
from ..public.selectors import local_text, local_title, render_text


# --- how the members were chosen ---------------------------------------------------
@dataclass
class CompositionLine:
    category: str
    label: str
    population: str  # "12.5 %" or "" when the organisers gave no figure
    quota: str  # "3–5"
    seats: str  # suppressed below the small-group threshold


@dataclass
class Selection:
    run: SelectionRun | None
    pool: int = 0
    seats: int = 0
    confirmed: int = 0
    lowest: str = ""
    equal: str = ""
    lowest_share: float | None = None  # the same as ``lowest``, as a number for the data files
    composition: list[CompositionLine] = field(default_factory=list)


def selection(assembly: Assembly) -> Selection:
    """The lottery's public figures, as on "How the members were chosen"."""
    main, _replacements = lottery.published_runs(assembly)
    if main is None:
        return Selection(run=None)
    bundle = SelectionRun.objects.only("bundle").get(pk=main.pk).bundle
    pool = len(bundle.get("pool", []))
    lowest = bundle.get("stats", {}).get("lottery_min_probability")
    result = Selection(
        run=main,
        pool=pool,
        seats=main.panel_size,
        lowest=lottery.percent(lowest) if lowest is not None else "",
        equal=lottery.percent(main.panel_size / pool) if pool else "",
        lowest_share=lowest,
    )
    if main.status == DrawStatus.DRAWN:
        result.confirmed = lottery.panel_figures(assembly).confirmed
        rows = lottery.current_composition(assembly)
        # The same features, in the same order, as the composition rows.
        features = list(Feature.objects.filter(assembly=assembly).select_related("category"))
        for row, feature in zip(rows, features, strict=False):
            share = feature.population_share
            result.composition.append(
                CompositionLine(
                    category=row.category,
                    label=row.label,
                    population=f"{share:.1f} %" if share is not None else "",
                    quota=f"{row.min_seats}–{row.max_seats}",
                    seats=row.shown,
                )
            )
    return result


# --- the learning programme -----------------------------------------------------------
def programme(assembly: Assembly) -> list[Session]:
    """Public sessions that were held (or planned), with their public speakers."""
    return list(public_sessions(assembly).exclude(status=SessionStatus.CANCELLED).order_by("starts_at", "id"))


def speakers(sessions: list[Session]) -> list[Any]:
    seen: dict[int, Any] = {}
    for session in sessions:
        for item in session.items.all():
            for speaker in item.speakers.all():
                seen.setdefault(speaker.pk, speaker)
    return sorted(seen.values(), key=lambda s: (s.name, s.pk))


def evidence_list(assembly: Assembly) -> list[Evidence]:
    return [e for group in public_evidence(assembly) for _item, rows in group.items for e in rows]


# --- the recommendations ---------------------------------------------------------------
@dataclass
class ReportedRecommendation:
    recommendation: Recommendation
    number: int
    title: str
    text_html: Any
    rationale_html: Any
    result: BallotResult | None
    chart: Any
    statements: list[MinorityStatement]
    topics: list[str]


def adopted_recommendations(assembly: Assembly) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED)
        .prefetch_related(
            closed_ballots_prefetch(),
            "topics",
            Prefetch(
                "minority_statements",
                queryset=MinorityStatement.objects.filter(withdrawn_at__isnull=True).order_by("id"),
                to_attr="live_statements",
            ),
        )
        .order_by("number")
    )


def reported_recommendations(assembly: Assembly, language: str) -> list[ReportedRecommendation]:
    items = []
    for rec in adopted_recommendations(assembly):
        closed = getattr(rec, "closed_ballots", [])
        result = ballot_result(closed[-1]) if closed else None
        items.append(
            ReportedRecommendation(
                recommendation=rec,
                number=rec.number,
                title=local_title(rec, language),
                text_html=render_text(local_text(rec, language)),
                rationale_html=render_text(rec.rationale) if rec.rationale else "",
                result=result,
                # The same SVG as the public pages.
                chart=charts.result_chart(result, chart_id=f"rec-{rec.number}-chart") if result else "",
                statements=list(getattr(rec, "live_statements", [])),
                topics=[translated(t.name, t.name_translations, language) for t in rec.topics.all()],
            )
        )
    return items


# --- progress: the status of every recommendation at a date ------------------------------
#: Extra columns of the progress report, registered by apps above (advocacy:
#: the government's response, implementation): ``(key, label, rows)`` where
#: ``rows(assembly, as_of, recommendations)`` returns {recommendation pk: text}.
ProgressRows = Callable[[Assembly, dt.date, Sequence[Recommendation]], dict[int, str]]


@dataclass(frozen=True)
class ProgressColumn:
    key: str
    label: Any
    rows: ProgressRows


PROGRESS_COLUMNS: list[ProgressColumn] = []


def register_progress_rows(column: ProgressColumn) -> None:
    """Add a column to every progress report (idempotent by key)."""
    if all(c.key != column.key for c in PROGRESS_COLUMNS):
        PROGRESS_COLUMNS.append(column)


@dataclass
class ProgressLine:
    recommendation: Recommendation
    number: int
    title: str
    status: str  # "adopted", "not_adopted", "undecided"
    result: BallotResult | None
    extra: dict[str, str]


def end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def progress_lines(assembly: Assembly, as_of: dt.date, language: str) -> list[ProgressLine]:
    """Every recommendation put to a vote, with the last ballot closed by the end of ``as_of``."""
    cutoff = end_of(as_of)
    recs = list(
        Recommendation.objects.filter(assembly=assembly)
        .exclude(status=RecommendationStatus.WITHDRAWN)
        .filter(ballots__status=BallotStatus.CLOSED, ballots__amendment__isnull=True)
        .distinct()
        .prefetch_related(
            Prefetch(
                "ballots",
                queryset=Ballot.objects.filter(
                    status=BallotStatus.CLOSED, amendment__isnull=True, closed_at__lt=cutoff
                ).order_by("closed_at", "id"),
                to_attr="closed_by_then",
            )
        )
        .order_by("number")
    )
    extras = {column.key: column.rows(assembly, as_of, recs) for column in PROGRESS_COLUMNS}
    lines = []
    for rec in recs:
        closed = getattr(rec, "closed_by_then", [])
        result = ballot_result(closed[-1]) if closed else None
        status = "undecided" if result is None else ("adopted" if result.adopted else "not_adopted")
        lines.append(
            ProgressLine(
                recommendation=rec,
                number=rec.number,
                title=local_title(rec, language),
                status=status,
                result=result,
                extra={key: values.get(rec.pk, "") for key, values in extras.items()},
            )
        )
    return lines
