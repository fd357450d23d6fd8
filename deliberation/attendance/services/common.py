"""What the attendance workflows share."""

from __future__ import annotations

from typing import Any

from assemblies.actors import Actor, acting_user


def _user(by: Actor) -> Any:
    """The account for ``recorded_by``/``decided_by`` (None for SYSTEM)."""
    return acting_user(by)
