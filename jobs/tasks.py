"""The beat job that keeps jobs moving when a worker died or a publish was lost."""

from __future__ import annotations

import logging

from celery import current_app, shared_task

from .kinds import kind_of
from .services import stale_jobs

log = logging.getLogger(__name__)


@shared_task
def requeue_stale_jobs() -> int:
    """Publish every stale job's task again; the task's claim decides whether
    there is anything left to do, so publishing twice is harmless."""
    count = 0
    for job in stale_jobs().only("pk", "kind", "target_id"):
        kind = kind_of(job.kind)
        if kind is None or job.target_id is None:
            continue
        current_app.send_task(kind.task, args=[job.target_id])
        count += 1
    if count:
        log.info("requeued %s stale jobs", count)
    return count
