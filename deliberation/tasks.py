"""Deliberation's tasks: each part keeps its own (Celery discovers only this module)."""

from .attendance import tasks as attendance_tasks  # noqa: F401
from .evidence import tasks as evidence_tasks  # noqa: F401
from .sessions import tasks as sessions_tasks  # noqa: F401
from .tables import tasks as tables_tasks  # noqa: F401
from .voice import tasks as voice_tasks  # noqa: F401
