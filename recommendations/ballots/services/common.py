"""What the deciding workflows share: the choices of a ballot, who may vote,
the voter's pseudonym and the lock that lets votes be cast side by side."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.db import connection

from assemblies.models import Assembly, Member, MemberRole, Stage

from ...models import BallotKind

YES_NO_CHOICES = ("yes", "no", "abstain")
SCALE_CHOICES = ("1", "2", "3", "4", "5")
#: Stages in which a ballot may be opened and votes cast.
VOTING_STAGES = (Stage.DECIDING,)
#: Stages in which members may still add a minority statement.
STATEMENT_STAGES = (Stage.DELIBERATING, Stage.DECIDING)


def choices_for(kind: str) -> tuple[str, ...]:
    return SCALE_CHOICES if kind == BallotKind.SCALE else YES_NO_CHOICES


def pseudonym(secret: bytes, member_id: int) -> str:
    """The voter key of one member on one ballot (or priority round)."""
    return hmac.new(bytes(secret), str(member_id).encode(), hashlib.sha256).hexdigest()


def voters(assembly: Assembly) -> Any:
    """Who may vote: the assembly's members (not reserves or facilitators) who have not withdrawn."""
    return Member.objects.active().filter(assembly=assembly, role=MemberRole.MEMBER)


def _lock_for_share(table: str, pk: int) -> None:
    """Votes may be cast side by side, but not while the ballot closes (which
    takes FOR UPDATE): on PostgreSQL a share lock on the ballot's row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [pk])  # noqa: S608
