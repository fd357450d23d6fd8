"""Deciding: the writes. Keyword-only, one transaction, checked, audited.

Secrecy rules that every function here keeps:

- a vote is stored under ``voter = HMAC(ballot.secret, member id)``; the
  ``Participation`` row (who voted) has no link to it (random ids, no time);
- no audit event, log line or message ever carries a choice;
- the secret is set to NULL in the transaction that freezes the results, so
  after the close nobody can recompute a pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, MemberRole, Stage

from ..models import (
    Amendment,
    AmendmentState,
    Ballot,
    BallotKind,
    BallotStatus,
    MinorityStatement,
    Participation,
    PriorityMethod,
    PriorityParticipation,
    PriorityRound,
    PriorityVote,
    Recommendation,
    RecommendationStatus,
    Vote,
)
from ..rules import MANAGE_RECOMMENDATIONS, MODERATE, TAKE_PART

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
    from .selectors import ballot_result  # the one place that applies the threshold

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
    from ..drafting import services as drafting

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


# --- voting --------------------------------------------------------------------------
def _check_open(ballot: Ballot) -> None:
    now = timezone.now()
    if ballot.status != BallotStatus.OPEN or (ballot.closes_at is not None and ballot.closes_at <= now):
        raise ValidationError(_("This ballot is not open: your vote was not counted."))


@transaction.atomic
def vote_cast(*, ballot: Ballot, member: Member, choice: str, by: Actor, assisted: bool = False) -> None:
    """Cast or change ``member``'s vote: one row per pseudonym (an upsert, so
    two requests at once still leave one vote), turnout recorded once."""
    _lock_for_share(Ballot._meta.db_table, ballot.pk)
    ballot = Ballot.objects.select_related("assembly").get(pk=ballot.pk)
    if member.assembly_id != ballot.assembly_id:
        raise ValidationError(_("This member belongs to another assembly."))
    if assisted:
        authorise(by, MODERATE, ballot.assembly, _("Only a facilitator can record a paper ballot."))
    else:
        authorise(by, TAKE_PART, ballot.assembly)
        if by is not SYSTEM and getattr(by, "pk", None) != member.user_id:
            raise ValidationError(_("You can only vote for yourself."))
    if not voters(ballot.assembly).filter(pk=member.pk).exists():
        raise ValidationError(_("Only the assembly's members vote."))
    _check_open(ballot)
    if choice not in choices_for(ballot.kind):
        raise ValidationError({"choice": _("Choose one of the options.")})
    assert ballot.secret is not None
    Vote.objects.bulk_create(
        [Vote(ballot=ballot, voter=pseudonym(ballot.secret, member.pk), choice=choice, assisted=assisted)],
        update_conflicts=True,
        unique_fields=["ballot", "voter"],
        update_fields=["choice", "assisted"],
    )
    Participation.objects.bulk_create([Participation(ballot=ballot, member=member)], ignore_conflicts=True)
    # Who voted is turnout; what they chose is never recorded next to it.
    audit_record(
        action="recommendations.voted_assisted" if assisted else "recommendations.voted",
        by=by,
        assembly=ballot.assembly,
        obj=ballot,
    )


def my_choice(*, ballot: Ballot, member: Member) -> str | None:
    """A member's current choice, recomputed from the key: only while the ballot is open."""
    if (
        ballot.status != BallotStatus.OPEN
        or ballot.secret is None
        or member.assembly_id != ballot.assembly_id
    ):
        return None
    return (
        Vote.objects.filter(ballot=ballot, voter=pseudonym(ballot.secret, member.pk))
        .values_list("choice", flat=True)
        .first()
    )


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


# --- minority statements -------------------------------------------------------------
@transaction.atomic
def minority_statement_add(
    *, recommendation: Recommendation, member: Member, text: str, signed_as: str, by: Actor
) -> MinorityStatement:
    assembly = recommendation.assembly
    authorise(by, TAKE_PART, assembly)
    if member.assembly_id != assembly.pk or (by is not SYSTEM and getattr(by, "pk", None) != member.user_id):
        raise ValidationError(_("You can only write a statement in your own name."))
    if assembly.stage not in STATEMENT_STAGES:
        raise ValidationError(
            _("Minority statements can be added only before the recommendations are published.")
        )
    if recommendation.status in (RecommendationStatus.WITHDRAWN,):
        raise ValidationError(_("This recommendation was withdrawn."))
    text, signed_as = text.strip(), signed_as.strip()
    if not text:
        raise ValidationError({"text": _("Write the statement.")})
    statement = MinorityStatement.objects.create(
        recommendation=recommendation, author=member, text=text, signed_as=signed_as
    )
    audit_record(action="recommendations.minority_statement_added", by=by, assembly=assembly, obj=statement)
    return statement


@transaction.atomic
def minority_statement_withdraw(*, statement: MinorityStatement, by: Actor) -> None:
    assembly = statement.recommendation.assembly
    author_user = statement.author.user_id if statement.author else None
    if by is not SYSTEM and getattr(by, "pk", None) != author_user:
        authorise(by, MODERATE, assembly, _("Only its author or a facilitator can withdraw a statement."))
    if assembly.stage not in STATEMENT_STAGES and by is not SYSTEM:
        raise ValidationError(_("The statement is published with the recommendation and stays."))
    statement.withdrawn_at = timezone.now()
    statement.save(update_fields=["withdrawn_at"])
    audit_record(
        action="recommendations.minority_statement_withdrawn", by=by, assembly=assembly, obj=statement
    )


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
