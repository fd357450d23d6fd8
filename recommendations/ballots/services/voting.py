"""Voting on a ballot: a member casts (or changes) a secret vote and sees their own choice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Member

from ...models import Ballot, BallotStatus, Participation, Vote
from ...rules import MODERATE, TAKE_PART
from .common import _lock_for_share, choices_for, pseudonym, voters


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
