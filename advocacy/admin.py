"""Advocacy admin: each part registers its own here."""

from .people import admin as people_admin  # noqa: F401
from .power import admin as power_admin  # noqa: F401
from .tracking import admin as tracking_admin  # noqa: F401
