"""Recommendations' admin: each part registers its own (Django discovers only this module)."""

from .ballots import admin as ballots_admin  # noqa: F401
from .drafting import admin as drafting_admin  # noqa: F401
