"""The progress report reminder (imported by advocacy.tasks for Celery).

Beat entry (config/settings.py)::

    "advocacy-progress-report-reminders": {
        "task": "advocacy.progress.tasks.remind_progress_reports",
        "schedule": 3600.0,
    }
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def remind_progress_reports() -> int:
    """Remind the organisers of each assembly whose progress report is due (once per due date)."""
    queued = services.send_due_reminders()
    if queued:
        logger.info("progress report reminders: %s emails queued", queued)
    return queued
