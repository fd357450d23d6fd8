"""The organisers' screens for recruitment and selection (see admin_*.py)."""

from __future__ import annotations
