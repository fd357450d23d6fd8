"""Advocacy tasks: each part imports its own here (Celery discovers this module)."""

from .people import tasks as people_tasks  # noqa: F401
from .progress import tasks as progress_tasks  # noqa: F401
from .tracking import tasks as tracking_tasks  # noqa: F401
