"""Who acts in a service: a user, checked against a permission, or the system.

Services take ``by`` (keyword-only) and check before they change anything::

    authorise(by, RUN_SELECTION, assembly)

A user passes when ``by.has_perm(perm, obj)``. ``SYSTEM`` is the platform acting
on its own: a task, a public flow that is authorised by what the visitor holds
(a registration code, a confirmation link), the demo seed. It always passes and
the audit log records it as the system (no actor). ``None`` is refused: a
caller says who acts, so that forgetting ``by`` can never mean "the system".
"""

from __future__ import annotations

from typing import Any, Final, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class SystemActor(AnonymousUser):
    """The platform itself. An ``AnonymousUser`` on purpose: code that does not
    know about it (``audit_record``, ``rules``, templates) sees no account and
    no permission, so it fails closed; only ``authorise`` lets it act."""

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return id(self)


#: The one system actor; compare with ``is``.
SYSTEM: Final = SystemActor()

#: A signed-in user (request.user) or SYSTEM. Never None.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser


def require_actor(by: Any) -> None:
    """Refuse a missing actor (a programming error, not a user's)."""
    if by is None:
        raise TypeError("by= must say who acts: a user, or assemblies.actors.SYSTEM; None is not accepted")
    if not isinstance(by, AbstractBaseUser | AnonymousUser):
        raise TypeError(f"by= must be a user or SYSTEM, not {type(by).__name__}")


def authorise(by: Actor, perm: str, obj: Any, message: str | None = None) -> None:
    """Check, then do: raise PermissionDenied unless ``by`` is SYSTEM or has
    ``perm`` on ``obj`` (an assembly)."""
    require_actor(by)
    if by is SYSTEM:
        return
    has_perm = getattr(by, "has_perm", None)  # on PermissionsMixin, not on AbstractBaseUser
    if has_perm is None or not has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this in this assembly."))


def acting_user(by: Actor) -> AbstractBaseUser | None:
    """The user account behind ``by``, for fields such as ``requested_by``;
    None for SYSTEM (and for a visitor who is not signed in)."""
    return by if isinstance(by, AbstractBaseUser) and by.is_authenticated else None
