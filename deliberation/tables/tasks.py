"""Background tasks of this part (imported by deliberation.tasks for Celery)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=services.DEFAULT_TIME_LIMIT * 4 + 120)
def compute_table_plan(plan_id: int) -> str:
    """Claim the plan's job and seat its rounds; a duplicated message finds the
    job claimed or over and does nothing."""
    plan = services.compute_plan_job(plan_id)
    return "skipped" if plan is None else plan.status
