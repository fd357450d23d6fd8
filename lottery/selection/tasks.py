"""Selection runs are computed on the "selection" queue (settings route
``lottery.selection.tasks.*`` there), so that emails never wait behind minutes
of solver time."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=services.DEFAULT_TIME_LIMIT + 120)
def compute_selection_run(run_id: int) -> str:
    """Claim the run's job and compute it; a retried or duplicated message
    finds the job claimed or over and does nothing. Running out of time fails
    the run with a plain message."""
    run = services.selection_run_compute(run_id)
    return "skipped" if run is None else run.status
