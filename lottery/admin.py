"""The organisers' screens for recruitment and selection, one module per part."""

from __future__ import annotations

from .invitations import admin as invitations_admin  # noqa: F401
from .registration import admin as registration_admin  # noqa: F401
from .selection import admin as selection_admin  # noqa: F401
