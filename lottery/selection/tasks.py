"""Selection runs are computed on the "selection" queue (settings route
``lottery.selection.tasks.*`` there), so that emails never wait behind minutes
of solver time."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services


@shared_task(acks_late=True, soft_time_limit=services.DEFAULT_TIME_LIMIT + 120)
def compute_selection_run(run_id: int) -> str:
    """Claim the queued run and compute it; a retried or duplicated message
    finds the run no longer queued and does nothing."""
    try:
        run = services.selection_run_compute(run_id)
    except SoftTimeLimitExceeded:
        services.selection_run_fail(
            run_id, "The computation took too long and was stopped. Try again with a shorter time limit."
        )
        return "timeout"
    return "skipped" if run is None else run.status
