"""Background tasks of the sessions part (imported by deliberation.tasks for Celery).

Beat entry (config/settings.py)::

    "send-session-reminders": {
        "task": "deliberation.sessions.tasks.send_session_reminders",
        "schedule": 900.0,
    }
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_session_reminders() -> int:
    """Queue the week and day reminders that are due; each goes once, even
    when two workers run this at the same time."""
    queued = services.send_due_reminders()
    if queued:
        logger.info("session reminders: %s emails queued", queued)
    return queued
