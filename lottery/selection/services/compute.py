"""Compute a queued selection run (the task's work): LEXIMIN, the legacy
baseline for comparison, and the transparent lottery, saved as the run's
pseudonymous bundle.

Safe to run twice: the run is claimed first, and a run that is not queued
(or abandoned by a dead worker) is left alone.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from lottery import engine
from lottery.models import DrawStatus, RecruitmentSettings, Respondent, RunKind, SelectionRun

from ..bundle import BUNDLE_FORMAT
from ..problem import FRESH_POOL, ON_PANEL, REPLACEMENT_POOL, build_problem
from ..selectors import ACTIVE
from .runs import DEFAULT_TIME_LIMIT

#: Draws of the legacy greedy method used only for the comparison figure.
LEGACY_RUNS = 100
#: Progress is written to the run row at most this often (seconds).
PROGRESS_EVERY = 1.0
#: Seconds past its time limit after which a running run counts as abandoned.
ABANDONED_AFTER = 600


def _progress_writer(run_id: int, base: dict[str, Any]) -> Any:
    last = [0.0]

    def report(event: engine.Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        SelectionRun.objects.filter(pk=run_id).update(
            progress={
                **base,
                "stage": "leximin",
                "level": event.level,
                "panels": event.panels,
                "min": event.minimum,
                "fixed": event.fixed,
                "types": event.types,
            }
        )

    return report


def _abandoned(run: SelectionRun) -> bool:
    """A running run whose worker died (the broker redelivers the message):
    past its time limit plus a margin, it may be claimed again."""
    if run.status != DrawStatus.RUNNING or "started" not in run.progress:
        return False
    started = dt.datetime.fromisoformat(run.progress["started"])
    limit = float(run.progress.get("time_limit", DEFAULT_TIME_LIMIT))
    return timezone.now() - started > dt.timedelta(seconds=limit + ABANDONED_AFTER)


def claim_run(run_id: int) -> SelectionRun | None:
    """Move a queued run to running; None when someone else has it (or it is done)."""
    with transaction.atomic():
        run = SelectionRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not (run.status == DrawStatus.QUEUED or _abandoned(run)):
            return None
        run.status = DrawStatus.RUNNING
        run.progress = {**run.progress, "stage": "preparing", "started": timezone.now().isoformat()}
        run.save(update_fields=["status", "progress"])
        return run


def selection_run_fail(run_id: int, message: str) -> None:
    SelectionRun.objects.filter(pk=run_id, status__in=ACTIVE).update(status=DrawStatus.FAILED, error=message)


def _seated_for(run: SelectionRun) -> list[str]:
    if run.kind != RunKind.REPLACEMENT:
        return []
    return sorted(
        Respondent.objects.filter(assembly=run.assembly, status__in=ON_PANEL).values_list(
            "pseudonym", flat=True
        )
    )


def explain(error: engine.SortitionError) -> str:
    """The engine's message, plus its suggested relaxation when it has one."""
    return str(error)


def selection_run_compute(run_id: int) -> SelectionRun | None:
    """Compute LEXIMIN, the legacy baseline and the transparent lottery for a
    queued run (called by the task). Safe to call twice: a run that is not
    queued is left alone. Returns the run, or None when it was skipped."""
    run = claim_run(run_id)
    if run is None:
        return None
    base = {"time_limit": run.progress.get("time_limit", DEFAULT_TIME_LIMIT)}
    started = time.monotonic()
    try:
        solved = _solve(run, base)
    except engine.SortitionError as error:
        selection_run_fail(run.pk, explain(error))
        run.refresh_from_db()
        return run
    recruitment = RecruitmentSettings.objects.filter(assembly=run.assembly).first()
    seconds = round(time.monotonic() - started, 2)
    _save_computed(run, solved, _bundle(run, solved, recruitment, seconds), base, seconds)
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class _Solved:
    problem: engine.SelectionProblem
    seated: list[str]
    distribution: engine.Distribution
    lottery: engine.Lottery
    legacy_min: float | None


def _solve(run: SelectionRun, base: dict[str, Any]) -> _Solved:
    """The engine's work; raises SortitionError (e.g. quotas that cannot be met)."""
    statuses = REPLACEMENT_POOL if run.kind == RunKind.REPLACEMENT else FRESH_POOL
    seated = _seated_for(run)
    problem = build_problem(run.assembly, seated=seated, statuses=statuses)
    problem = engine.SelectionProblem(problem.respondents, problem.quotas, run.panel_size, tuple(seated))
    distribution = engine.leximin(
        problem, time_limit=float(base["time_limit"]), progress=_progress_writer(run.pk, base)
    )
    SelectionRun.objects.filter(pk=run.pk).update(progress={**base, "stage": "legacy"})
    try:
        baseline = engine.legacy(problem, runs=LEGACY_RUNS)
        legacy_min: float | None = baseline.stats.get("pooled_min_probability", baseline.min_probability)
    except engine.SortitionError:
        legacy_min = None
    lottery = engine.round_to_lottery(distribution, run.lottery_size)
    return _Solved(problem, seated, distribution, lottery, legacy_min)


def _bundle(
    run: SelectionRun, solved: _Solved, recruitment: RecruitmentSettings | None, seconds: float
) -> dict[str, Any]:
    """Everything the commitment will freeze: pseudonymous pool, quotas,
    algorithm, the lottery's panels and the figures shown on the run's page."""
    distribution, lottery, problem = solved.distribution, solved.lottery, solved.problem
    return {
        "format": BUNDLE_FORMAT,
        "assembly": run.assembly.slug,
        "kind": run.kind,
        "algorithm": distribution.algorithm,
        "version": engine.ENGINE_VERSION,
        "k": run.panel_size,
        "seated": sorted(solved.seated),
        "pool": [
            {"id": r.id, "features": dict(r.features), "household": r.household} for r in problem.respondents
        ],
        "quotas": [
            {
                "category": q.category,
                "feature": q.feature,
                "min": q.min,
                "max": q.max,
                "min_flex": q.min_flex,
                "max_flex": q.max_flex,
            }
            for q in problem.quotas
        ],
        "panels": [sorted(p) for p in lottery.panels],
        "reserves_wanted": (recruitment.reserves if recruitment and run.kind == RunKind.SELECTION else 0),
        "probabilities": {rid: round(p, 9) for rid, p in distribution.probabilities.items()},
        "lottery_probabilities": lottery.probabilities,
        "stats": {
            "complete": distribution.complete,
            "levels": distribution.levels,
            "method": distribution.method,
            "seconds": seconds,
            "min_probability": distribution.min_probability,
            "lottery_min_probability": lottery.min_probability,
            "max_probability_change": lottery.max_probability_change,
            "legacy_min_probability": solved.legacy_min,
            "legacy_runs": LEGACY_RUNS,
        },
    }


def _save_computed(
    run: SelectionRun, solved: _Solved, bundle: dict[str, Any], base: dict[str, Any], seconds: float
) -> None:
    """Store the result, unless the run stopped being ours meanwhile (failed
    by the time limit, or claimed again after being taken for abandoned)."""
    with transaction.atomic():
        updated = SelectionRun.objects.filter(pk=run.pk, status=DrawStatus.RUNNING).update(
            status=DrawStatus.COMPUTED,
            bundle=bundle,
            min_probability=solved.distribution.min_probability,
            legacy_min_probability=solved.legacy_min,
            progress={**base, "stage": "done", "seconds": seconds},
        )
        if updated:
            audit_record(
                action="lottery.run_computed",
                by=SYSTEM,
                assembly=run.assembly,
                obj=run,
                data={
                    "n": len(solved.problem.respondents),
                    "k": run.panel_size,
                    "min_probability": solved.distribution.min_probability,
                },
            )
