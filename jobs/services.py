"""Creating, claiming and reporting on jobs; publishing tasks after commit.

The contract for a task that runs a job::

    token = job_claim(job_id)            # None: someone else has it, or it is over
    if token is None:
        return
    try:
        for ...:
            job_progress(job_id, token, done=n, total=t)   # JobSuperseded: stop quietly
        job_finish(job_id, token)
    except JobSuperseded:
        return
    except Exception as exc:
        job_fail(job_id, token, message=...)
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ACTIVE, Job, JobStatus


class JobSuperseded(Exception):
    """The task no longer holds the job's claim: stop without writing."""


def delay_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Publish ``task`` once the current transaction commits, so the worker
    finds the rows it needs. Robust: a broker error is logged and the job stays
    queued, to be published again by ``requeue_stale_jobs``."""

    # A named function, not a partial: Django logs a robust callback's failure
    # with its __qualname__, which a partial lacks (the log would raise instead).
    def publish() -> None:
        task.delay(*args, **kwargs)

    transaction.on_commit(publish, robust=True)


def job_create(
    *, assembly_id: int, kind: str, target_id: int | None = None, created_by: Any = None, total: int = 0
) -> Job:
    user = created_by if getattr(created_by, "pk", None) else None
    return Job.objects.create(
        assembly_id=assembly_id, kind=kind, target_id=target_id, total=total, created_by=user
    )


def job_restart(job: Job) -> None:
    """Back to the queue, clean: a running task loses its claim."""
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        claim_token="",
        done=0,
        details={},
        message="",
        heartbeat_at=None,
        finished_at=None,
    )
    job.refresh_from_db()


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOB_STALE_AFTER_SECONDS", 300))


def job_claim(job_id: int) -> str | None:
    """Claim a queued job (or a running one whose worker stopped beating);
    returns the token to report with, or None when there is nothing to do."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        now = timezone.now()
        stale = job.status == JobStatus.RUNNING and (
            job.heartbeat_at is None or job.heartbeat_at < now - stale_after()
        )
        if job.status != JobStatus.QUEUED and not stale:
            return None
        job.claim_token = secrets.token_hex(16)
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["claim_token", "status", "started_at", "heartbeat_at"])
        return job.claim_token


def _write(job_id: int, token: str, **fields: Any) -> None:
    written = Job.objects.filter(pk=job_id, claim_token=token, status=JobStatus.RUNNING).update(**fields)
    if not written:
        raise JobSuperseded(job_id)


def job_progress(
    job_id: int,
    token: str,
    *,
    done: int | None = None,
    total: int | None = None,
    details: dict[str, Any] | None = None,
    message: str | None = None,
) -> None:
    fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
    for name, value in (("done", done), ("total", total), ("details", details), ("message", message)):
        if value is not None:
            fields[name] = value
    _write(job_id, token, **fields)


def job_finish(job_id: int, token: str, *, message: str = "") -> None:
    now = timezone.now()
    _write(job_id, token, status=JobStatus.DONE, message=message, finished_at=now, heartbeat_at=now)


def job_fail(job_id: int, token: str, *, message: str) -> None:
    now = timezone.now()
    _write(job_id, token, status=JobStatus.FAILED, message=message, finished_at=now, heartbeat_at=now)


def job_fail_unclaimed(job: Job, *, message: str) -> None:
    """Fail a job that no task holds (e.g. refused before it started)."""
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now(), claim_token=""
    )
    job.refresh_from_db()


def stale_jobs() -> QuerySet[Job]:
    """Queued jobs never picked up, and running ones whose worker died."""
    cutoff = timezone.now() - stale_after()
    return Job.objects.filter(
        Q(status=JobStatus.QUEUED, created_at__lt=cutoff)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    )


def active(jobs: QuerySet[Job]) -> QuerySet[Job]:
    return jobs.filter(status__in=ACTIVE)


ProgressCallback = Callable[[int, int], None]


def reporter(job_id: int, token: str, *, every: float = 1.0) -> ProgressCallback:
    """A ``(done, total)`` callback that writes at most once per ``every``
    seconds (and always the last step), for loops that report often."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if done >= total or now - last[0] >= every:
            last[0] = now
            job_progress(job_id, token, done=done, total=total)

    return report
