"""Deliberation's admin: each part registers its own (Django discovers only this module)."""

from .attendance import admin as attendance_admin  # noqa: F401
from .evidence import admin as evidence_admin  # noqa: F401
from .sessions import admin as sessions_admin  # noqa: F401
from .tables import admin as tables_admin  # noqa: F401
from .voice import admin as voice_admin  # noqa: F401
