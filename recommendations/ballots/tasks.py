"""Deciding's beat job: open and close ballots at their times.

Beat entry (config/settings.py)::

    "open-and-close-ballots": {
        "task": "recommendations.ballots.tasks.open_and_close_ballots",
        "schedule": 60.0,
    }
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="recommendations.ballots.tasks.open_and_close_ballots")
def open_and_close_ballots() -> dict[str, int]:
    return services.open_and_close_due_ballots()
