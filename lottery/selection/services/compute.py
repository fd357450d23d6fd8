"""Compute a queued selection run (the task's work): LEXIMIN, the legacy
baseline for comparison, and the transparent lottery, saved as the run's
pseudonymous bundle.

The computation is the run's job (``jobs.Job``): the task claims it, reports
the stage and the LEXIMIN level on it, and ends it in the same transaction as
the run's result. Safe to run twice: a second delivery finds the job claimed
(or over) and does nothing; a run whose worker died is claimed again once its
job goes stale, and the older worker stops at its next report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from jobs.models import Job, JobStatus
from jobs.services import JobSuperseded, job_claim, job_create, job_fail, job_finish, job_progress
from lottery import engine
from lottery.models import DrawStatus, RecruitmentSettings, Respondent, RunKind, SelectionRun
from lottery.models.selection import summarise_bundle

from ..bundle import BUNDLE_FORMAT
from ..problem import FRESH_POOL, ON_PANEL, REPLACEMENT_POOL, build_problem
from ..selectors import ACTIVE
from .runs import DEFAULT_TIME_LIMIT, RUN_JOB

#: Draws of the legacy greedy method used only for the comparison figure.
LEGACY_RUNS = 100
#: Progress is written to the run's job at most this often (seconds).
PROGRESS_EVERY = 1.0


@dataclass(frozen=True)
class Claim:
    """A run this worker computes, with its job's claim."""

    run: SelectionRun
    job_id: int
    token: str
    base: dict[str, Any]  # what every progress write keeps (the time limit)

    def report(self, **details: Any) -> None:
        """Progress in the engine's words; raises JobSuperseded if the claim was lost."""
        job_progress(self.job_id, self.token, details={**self.base, **details})

    def lock(self) -> None:
        """Lock the job while it is ours (else JobSuperseded), to write the run's result."""
        if not Job.objects.select_for_update().filter(
            pk=self.job_id, claim_token=self.token, status=JobStatus.RUNNING
        ):
            raise JobSuperseded(self.job_id)


def _progress_writer(claim: Claim) -> Any:
    last = [0.0]

    def report(event: engine.Progress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        claim.report(
            stage="leximin",
            level=event.level,
            panels=event.panels,
            min=event.minimum,
            fixed=event.fixed,
            types=event.types,
        )

    return report


def _job_of(run: SelectionRun) -> int:
    """The run's job; a run made without one (by hand, or before jobs) gets one now."""
    if run.job_id is None:
        job = job_create(assembly_id=run.assembly_id, kind=RUN_JOB, target_id=run.pk)
        SelectionRun.objects.filter(pk=run.pk, job__isnull=True).update(job=job)
        run.refresh_from_db(fields=["job"])
    assert run.job_id is not None
    return run.job_id


def claim_run(run_id: int) -> Claim | None:
    """Claim the run's job and move the run to running; None when someone
    else has it (or it is over)."""
    run = SelectionRun.objects.select_related("assembly").filter(pk=run_id).first()
    if run is None or run.status not in ACTIVE:
        return None
    job_id = _job_of(run)
    token = job_claim(job_id)
    if token is None:
        return None
    default = getattr(settings, "SELECTION_TIME_LIMIT", DEFAULT_TIME_LIMIT) or DEFAULT_TIME_LIMIT
    details = Job.objects.filter(pk=job_id).values_list("details", flat=True).get()
    claim = Claim(run, job_id, token, {"time_limit": details.get("time_limit", default)})
    with transaction.atomic():
        try:
            claim.lock()
        except JobSuperseded:
            return None
        if not SelectionRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(status=DrawStatus.RUNNING):
            return None
        claim.report(stage="preparing")
    run.status = DrawStatus.RUNNING
    return claim


def selection_run_fail(claim: Claim, message: str) -> None:
    """Fail the run and its job, unless the claim was lost meanwhile."""
    with transaction.atomic():
        try:
            claim.lock()
        except JobSuperseded:
            return
        SelectionRun.objects.filter(pk=claim.run.pk, status__in=ACTIVE).update(status=DrawStatus.FAILED)
        job_fail(claim.job_id, claim.token, message=message)


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
    claim = claim_run(run_id)
    if claim is None:
        return None
    run = claim.run
    started = time.monotonic()
    try:
        solved = _solve(claim)
        recruitment = RecruitmentSettings.objects.filter(assembly=run.assembly).first()
        seconds = round(time.monotonic() - started, 2)
        _save_computed(claim, solved, _bundle(run, solved, recruitment, seconds), seconds)
    except JobSuperseded:
        return None  # a newer worker took the run over: it reports the result
    except engine.SortitionError as error:
        selection_run_fail(claim, explain(error))
    except SoftTimeLimitExceeded:
        selection_run_fail(
            claim, _("The computation took too long and was stopped. Try again with a shorter time limit.")
        )
    except Exception:
        selection_run_fail(claim, _("The computation stopped because of an error on our side. Try again."))
        raise
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class _Solved:
    problem: engine.SelectionProblem
    seated: list[str]
    distribution: engine.Distribution
    lottery: engine.Lottery
    legacy_min: float | None


def _solve(claim: Claim) -> _Solved:
    """The engine's work; raises SortitionError (e.g. quotas that cannot be met)."""
    run = claim.run
    statuses = REPLACEMENT_POOL if run.kind == RunKind.REPLACEMENT else FRESH_POOL
    seated = _seated_for(run)
    problem = build_problem(run.assembly, seated=seated, statuses=statuses)
    problem = engine.SelectionProblem(problem.respondents, problem.quotas, run.panel_size, tuple(seated))
    distribution = engine.leximin(
        problem, time_limit=float(claim.base["time_limit"]), progress=_progress_writer(claim)
    )
    claim.report(stage="legacy")
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


def _save_computed(claim: Claim, solved: _Solved, bundle: dict[str, Any], seconds: float) -> None:
    """Store the result and end the job, unless the run stopped being ours
    meanwhile (failed, or claimed again after its job went stale)."""
    run = claim.run
    with transaction.atomic():
        claim.lock()
        updated = SelectionRun.objects.filter(pk=run.pk, status=DrawStatus.RUNNING).update(
            status=DrawStatus.COMPUTED,
            bundle=bundle,
            summary=summarise_bundle(bundle),
            min_probability=solved.distribution.min_probability,
            legacy_min_probability=solved.legacy_min,
        )
        if not updated:
            return
        claim.report(stage="done", seconds=seconds)
        job_finish(claim.job_id, claim.token)
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
