"""Priority votes: a round over the recommendations, members' priorities, the close."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member

from ...models import (
    BallotStatus,
    PriorityMethod,
    PriorityParticipation,
    PriorityRound,
    PriorityVote,
    Recommendation,
    RecommendationStatus,
)
from ...rules import MANAGE_RECOMMENDATIONS, TAKE_PART
from .common import _lock_for_share, pseudonym, voters


# --- priority votes ------------------------------------------------------------------
@transaction.atomic
def priority_create(
    *, assembly: Assembly, by: Actor, recommendations: Sequence[Recommendation] | None = None, **fields: Any
) -> PriorityRound:
    authorise(by, MANAGE_RECOMMENDATIONS, assembly)
    round_ = PriorityRound(assembly=assembly, **fields)
    round_.full_clean()
    round_.save()
    chosen = (
        list(recommendations)
        if recommendations is not None
        else list(assembly.recommendations.filter(status=RecommendationStatus.ADOPTED))
    )
    if any(r.assembly_id != assembly.pk for r in chosen):
        raise ValidationError(_("This recommendation belongs to another assembly."))
    round_.recommendations.set(chosen)
    audit_record(action="recommendations.priority_created", by=by, assembly=assembly, obj=round_)
    return round_


@transaction.atomic
def priority_open(*, round: PriorityRound, by: Actor) -> PriorityRound:
    round_ = PriorityRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    authorise(by, MANAGE_RECOMMENDATIONS, round_.assembly)
    if round_.status != BallotStatus.DRAFT:
        raise ValidationError(_("This priority vote has already been opened."))
    if not round_.recommendations.exists():
        raise ValidationError(_("Choose the recommendations to put in order first."))
    round_.secret = secrets.token_bytes(32)
    round_.status = BallotStatus.OPEN
    round_.opens_at = timezone.now()
    round_.save(update_fields=["secret", "status", "opens_at"])
    audit_record(action="recommendations.priority_opened", by=by, assembly=round_.assembly, obj=round_)
    return round_


@transaction.atomic
def priority_vote(
    *,
    round: PriorityRound,
    member: Member,
    allocation: dict[int, int],
    by: Actor,
) -> None:
    """``allocation``: recommendation id → dots (dot-voting) or → rank 1, 2…
    (ranking). Replaces the member's earlier allocation."""
    _lock_for_share(PriorityRound._meta.db_table, round.pk)
    round_ = PriorityRound.objects.select_related("assembly").get(pk=round.pk)
    authorise(by, TAKE_PART, round_.assembly)
    if by is not SYSTEM and getattr(by, "pk", None) != member.user_id:
        raise ValidationError(_("You can only vote for yourself."))
    if member.assembly_id != round_.assembly_id or not voters(round_.assembly).filter(pk=member.pk).exists():
        raise ValidationError(_("Only the assembly's members vote."))
    if round_.status != BallotStatus.OPEN or round_.secret is None:
        raise ValidationError(_("This priority vote is not open: your vote was not counted."))
    allowed = set(round_.recommendations.values_list("pk", flat=True))
    allocation = {k: v for k, v in allocation.items() if v}
    if set(allocation) - allowed:
        raise ValidationError(_("You can only give points to the recommendations on the list."))
    if any(v < 0 for v in allocation.values()):
        raise ValidationError(_("Points cannot be negative."))
    if round_.method == PriorityMethod.DOTS:
        if sum(allocation.values()) > round_.dots:
            raise ValidationError(
                _("You have %(dots)s dots: you gave %(given)s.")
                % {"dots": round_.dots, "given": sum(allocation.values())}
            )
        points = allocation
    else:
        ranks = sorted(allocation.values())
        if ranks != list(range(1, len(ranks) + 1)) or len(ranks) > round_.dots:
            raise ValidationError(
                _("Number your choices 1, 2, 3… without gaps or repeats, up to %(n)s.") % {"n": round_.dots}
            )
        points = {pk: round_.dots + 1 - rank for pk, rank in allocation.items()}
    voter = pseudonym(round_.secret, member.pk)
    PriorityVote.objects.filter(round=round_, voter=voter).delete()
    PriorityVote.objects.bulk_create(
        [PriorityVote(round=round_, voter=voter, recommendation_id=pk, points=p) for pk, p in points.items()],
        ignore_conflicts=True,
    )
    PriorityParticipation.objects.bulk_create(
        [PriorityParticipation(round=round_, member=member)], ignore_conflicts=True
    )
    audit_record(action="recommendations.priority_voted", by=by, assembly=round_.assembly, obj=round_)


def my_priorities(*, round: PriorityRound, member: Member) -> dict[int, int]:
    """The member's own points (dots, or Borda points) while the round is open."""
    if round.status != BallotStatus.OPEN or round.secret is None:
        return {}
    return dict(
        PriorityVote.objects.filter(round=round, voter=pseudonym(round.secret, member.pk)).values_list(
            "recommendation_id", "points"
        )
    )


@transaction.atomic
def priority_close(*, round: PriorityRound, by: Actor) -> PriorityRound:
    round_ = PriorityRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    authorise(by, MANAGE_RECOMMENDATIONS, round_.assembly)
    if round_.status != BallotStatus.OPEN:
        raise ValidationError(_("Only an open priority vote can be closed."))
    totals: Counter[int] = Counter()
    backers: Counter[int] = Counter()
    for rec_id, points in PriorityVote.objects.filter(round=round_).values_list(
        "recommendation_id", "points"
    ):
        totals[rec_id] += points
        backers[rec_id] += 1
    round_.results = {
        "points": {str(pk): totals.get(pk, 0) for pk in round_.recommendations.values_list("pk", flat=True)},
        "backers": {str(pk): n for pk, n in backers.items()},
        "turnout": PriorityParticipation.objects.filter(round=round_).count(),
    }
    # As for a ballot: each voter's points stay together, under a random key, in a random order.
    rows: dict[str, list[tuple[int, int]]] = {}
    for voter, rec_id, points in PriorityVote.objects.filter(round=round_).values_list(
        "voter", "recommendation_id", "points"
    ):
        rows.setdefault(voter, []).append((rec_id, points))
    groups = list(rows.values())
    secrets.SystemRandom().shuffle(groups)
    PriorityVote.objects.filter(round=round_).delete()
    PriorityVote.objects.bulk_create(
        [
            PriorityVote(round=round_, voter=key, recommendation_id=rec_id, points=points)
            for group in groups
            for key in [secrets.token_hex(32)]
            for rec_id, points in group
        ]
    )
    round_.status = BallotStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.secret = None
    round_.save(update_fields=["results", "status", "closed_at", "secret"])
    audit_record(action="recommendations.priority_closed", by=by, assembly=round_.assembly, obj=round_)
    return round_
