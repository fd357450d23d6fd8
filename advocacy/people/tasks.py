"""Background tasks of the people part (imported by advocacy.tasks for Celery).

Beat entry (config/settings.py)::

    "advocacy-affiliate-reminders": {
        "task": "advocacy.people.tasks.remind_affiliates",
        "schedule": 86400.0,
    }
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def remind_affiliates() -> int:
    """Ask affiliates what they did, once per period each (through the outbox)."""
    sent = services.affiliates_remind()
    if sent:
        logger.info("affiliate reminders: %s emails queued", sent)
    return sent
