"""Advocacy tasks: each part imports its own here (Celery discovers this module)."""

from .tracking import tasks as tracking_tasks  # noqa: F401
