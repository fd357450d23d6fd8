"""Celery discovers tasks here; each part of the lottery keeps its own."""

from __future__ import annotations

from .invitations import tasks as invitations_tasks  # noqa: F401
from .registration import tasks as registration_tasks  # noqa: F401
from .selection import tasks as selection_tasks  # noqa: F401
