"""Extra groups an announcement can reach, filled in by higher apps.

Deliberation knows all members, a session's members and a table. A higher app
(recommendations' working groups) adds its own kind of group here from its
plugin, without deliberation importing it: a key, a label, the groups of an
assembly to choose from, and the members of one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from assemblies.models import Assembly, Member


@dataclass(frozen=True)
class ExtraAudience:
    """A kind of group: ``choices(assembly)`` lists ``(id, name)`` of the
    assembly's groups; ``members(assembly, id)`` the members of one of them
    (only ever called with an id that ``choices`` listed)."""

    key: str
    label: Any
    choices: Callable[[Assembly], list[tuple[int, str]]]
    members: Callable[[Assembly, int], QuerySet[Member]]


_AUDIENCES: dict[str, ExtraAudience] = {}


def register(audience: ExtraAudience) -> None:
    """Add (or replace, on a second ``ready()``) a kind of group."""
    if not audience.key or len(audience.key) > 40 or ":" in audience.key:
        raise ValueError(f"Bad audience key: {audience.key!r}")
    _AUDIENCES[audience.key] = audience


def extra_audiences() -> list[ExtraAudience]:
    return list(_AUDIENCES.values())


def get(key: str | None) -> ExtraAudience | None:
    return _AUDIENCES.get(key or "")


def group_name(assembly: Assembly, key: str | None, group_id: int | None) -> str | None:
    """The name of the assembly's group ``group_id`` of kind ``key``; None when
    there is no such kind or the group is not one of this assembly's."""
    audience = get(key)
    if audience is None or group_id is None:
        return None
    return dict(audience.choices(assembly)).get(group_id)
