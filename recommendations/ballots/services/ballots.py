"""Ballots: set up, opened, closed (results frozen, the secret dropped) or
deleted, and the stage guard that keeps Deciding while one is open."""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Stage

from ...models import (
    Amendment,
    AmendmentState,
    Ballot,
    BallotStatus,
    Participation,
    PriorityRound,
    Recommendation,
    RecommendationStatus,
    Vote,
)
from ...rules import MANAGE_RECOMMENDATIONS
from .common import VOTING_STAGES, choices_for, voters


# --- ballots: set up, open, close ----------------------------------------------------
@transaction.atomic
def ballot_create(
    *,
    assembly: Assembly,
    question: str,
    by: Actor,
    recommendation: Recommendation | None = None,
    amendment: Amendment | None = None,
    **settings: Any,
) -> Ballot:
    authorise(by, MANAGE_RECOMMENDATIONS, assembly)
    if (recommendation is None) == (amendment is None):
        raise ValidationError(_("A ballot is on one recommendation or on one amendment."))
    target_assembly = recommendation.assembly_id if recommendation else amendment.recommendation.assembly_id  # type: ignore[union-attr]
    if target_assembly != assembly.pk:
        raise ValidationError(_("This recommendation belongs to another assembly."))
    ballot = Ballot(
        assembly=assembly, recommendation=recommendation, amendment=amendment, question=question, **settings
    )
    ballot.full_clean()
    ballot.save()
    audit_record(action="recommendations.ballot_created", by=by, assembly=assembly, obj=ballot)
    return ballot


@transaction.atomic
def ballot_open(*, ballot: Ballot, by: Actor) -> Ballot:
    ballot = Ballot.objects.select_for_update().select_related("assembly").get(pk=ballot.pk)
    authorise(by, MANAGE_RECOMMENDATIONS, ballot.assembly)
    if ballot.status != BallotStatus.DRAFT:
        raise ValidationError(_("This ballot has already been opened."))
    if ballot.assembly.stage not in VOTING_STAGES:
        raise ValidationError(_("Ballots open only while the assembly is deciding."))
    ballot.secret = secrets.token_bytes(32)
    ballot.status = BallotStatus.OPEN
    if ballot.opens_at is None or ballot.opens_at > timezone.now():
        ballot.opens_at = timezone.now()
    ballot.save(update_fields=["secret", "status", "opens_at"])
    if ballot.recommendation_id:
        Recommendation.objects.filter(pk=ballot.recommendation_id, status=RecommendationStatus.DRAFT).update(
            status=RecommendationStatus.TO_VOTE
        )
    if ballot.amendment_id:
        Amendment.objects.filter(pk=ballot.amendment_id).update(state=AmendmentState.TO_VOTE)
    audit_record(action="recommendations.ballot_opened", by=by, assembly=ballot.assembly, obj=ballot)
    return ballot


def count_votes(ballot: Ballot) -> dict[str, Any]:
    """The raw counts of a ballot's votes (no voter): what is frozen at the close."""
    counts = Counter(dict.fromkeys(choices_for(ballot.kind), 0))
    counts.update(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True))
    return {
        "counts": dict(counts),
        "votes": sum(counts.values()),
        "assisted": Vote.objects.filter(ballot=ballot, assisted=True).count(),
        "turnout": Participation.objects.filter(ballot=ballot).count(),
        "electorate": voters(ballot.assembly).count(),
    }


@transaction.atomic
def ballot_close(*, ballot: Ballot, by: Actor) -> Ballot:
    """Freeze the results, decide the recommendation or amendment, destroy the key."""
    from ..selectors import ballot_result  # the one place that applies the threshold

    ballot = Ballot.objects.select_for_update().select_related("assembly").get(pk=ballot.pk)
    authorise(by, MANAGE_RECOMMENDATIONS, ballot.assembly)
    if ballot.status != BallotStatus.OPEN:
        raise ValidationError(_("Only an open ballot can be closed."))
    ballot.results = count_votes(ballot)
    _scramble_votes(ballot)
    ballot.status = BallotStatus.CLOSED
    ballot.closed_at = timezone.now()
    ballot.secret = None
    result = ballot_result(ballot)
    ballot.results.update({"share": result.share, "adopted": result.adopted, "quorum_met": result.quorum_met})
    ballot.save(update_fields=["results", "status", "closed_at", "secret"])
    if ballot.recommendation_id:
        Recommendation.objects.filter(pk=ballot.recommendation_id).update(
            status=RecommendationStatus.ADOPTED if result.adopted else RecommendationStatus.NOT_ADOPTED
        )
    if ballot.amendment_id:
        _decide_amendment(ballot.amendment_id, adopted=result.adopted)
    audit_record(
        action="recommendations.ballot_closed",
        by=by,
        assembly=ballot.assembly,
        obj=ballot,
        data={"votes": result.votes, "adopted": result.adopted},
    )
    return ballot


def _scramble_votes(ballot: Ballot) -> None:
    """After the count, rewrite the ballot's votes in a random order, with
    random voter keys and no assisted flag (its count is in the results): the
    rows' physical order, which followed the order of voting, and the flag on a
    paper ballot can no longer be matched to who voted when."""
    choices = list(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True))
    secrets.SystemRandom().shuffle(choices)
    Vote.objects.filter(ballot=ballot).delete()
    Vote.objects.bulk_create(
        [Vote(ballot=ballot, voter=secrets.token_hex(32), choice=choice) for choice in choices]
    )


def _decide_amendment(amendment_id: int, *, adopted: bool) -> None:
    """The assembly's vote decides an amendment: adopted, it is merged as a new
    version (drafting's merge, by the system); else rejected with the reason."""
    from ...drafting import services as drafting

    amendment = Amendment.objects.select_related("recommendation__assembly").get(pk=amendment_id)
    if amendment.state not in (AmendmentState.PROPOSED, AmendmentState.TO_VOTE):
        return  # withdrawn or decided meanwhile: the vote's result stays on the ballot
    if not adopted:
        drafting.amendment_reject(
            amendment=amendment, reason=_("Not adopted by the assembly's vote."), by=SYSTEM
        )
        return
    try:
        with transaction.atomic():
            drafting.amendment_accept(amendment=amendment, by=SYSTEM)
    except ValidationError:
        # The paragraph changed since: accepted by the vote, merged by the working group by hand.
        Amendment.objects.filter(pk=amendment_id).update(
            state=AmendmentState.ACCEPTED,
            reason=_("Adopted by the assembly's vote; the working group merges it by hand."),
            decided_at=timezone.now(),
        )


@transaction.atomic
def ballot_delete(*, ballot: Ballot, by: Actor) -> None:
    authorise(by, MANAGE_RECOMMENDATIONS, ballot.assembly)
    if ballot.status != BallotStatus.DRAFT:
        raise ValidationError(_("A ballot that has been opened is part of the record and stays."))
    audit_record(action="recommendations.ballot_deleted", by=by, assembly=ballot.assembly, obj=ballot)
    ballot.delete()


# --- stage guards --------------------------------------------------------------------
def ballots_stage_guard(assembly: Assembly, to_stage: str) -> Any:
    """The assembly cannot leave Deciding while a ballot is open; Published
    needs every ballot closed."""
    ballots = Ballot.objects.filter(assembly=assembly)
    open_count = ballots.filter(status=BallotStatus.OPEN).count()
    open_count += PriorityRound.objects.filter(assembly=assembly, status=BallotStatus.OPEN).count()
    if assembly.stage == Stage.DECIDING and to_stage != Stage.DECIDING and open_count:
        return ngettext(
            "%(n)s ballot is still open: close it before the assembly moves on.",
            "%(n)s ballots are still open: close them before the assembly moves on.",
            open_count,
        ) % {"n": open_count}
    if to_stage == Stage.PUBLISHED:
        waiting = ballots.exclude(status=BallotStatus.CLOSED).count()
        if waiting:
            return ngettext(
                "%(n)s ballot is not closed: every ballot must be closed (or, if never opened, deleted) "
                "before the recommendations are published.",
                "%(n)s ballots are not closed: every ballot must be closed (or, if never opened, deleted) "
                "before the recommendations are published.",
                waiting,
            ) % {"n": waiting}
    return None
