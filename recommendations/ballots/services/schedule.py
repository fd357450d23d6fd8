"""The schedule: ballots and priority rounds open and close at their set times (a periodic task)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from assemblies.actors import SYSTEM

from ...models import Ballot, BallotStatus, PriorityRound
from .ballots import ballot_close, ballot_open
from .common import VOTING_STAGES
from .priorities import priority_close


def ballots_due(now: Any = None) -> tuple[list[int], list[int]]:
    now = now or timezone.now()
    to_open = Ballot.objects.filter(
        status=BallotStatus.DRAFT, opens_at__lte=now, assembly__stage__in=VOTING_STAGES
    ).values_list("pk", flat=True)
    to_close = Ballot.objects.filter(status=BallotStatus.OPEN, closes_at__lte=now).values_list(
        "pk", flat=True
    )
    return list(to_open), list(to_close)


def open_and_close_due_ballots() -> dict[str, int]:
    """For the beat task: open and close ballots and priority rounds at their times."""
    to_open, to_close = ballots_due()
    done = {"opened": 0, "closed": 0}
    for pk in to_open:
        try:
            ballot_open(ballot=Ballot(pk=pk), by=SYSTEM)
            done["opened"] += 1
        except ValidationError:
            pass  # opened by hand meanwhile
    for pk in to_close:
        try:
            ballot_close(ballot=Ballot(pk=pk), by=SYSTEM)
            done["closed"] += 1
        except ValidationError:
            pass
    now = timezone.now()
    for pk in PriorityRound.objects.filter(status=BallotStatus.OPEN, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            priority_close(round=PriorityRound(pk=pk), by=SYSTEM)
            done["closed"] += 1
        except ValidationError:
            pass
    return done
