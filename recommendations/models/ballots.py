"""Deciding: ballots with a published threshold, secret votes.

Secrecy: a ``Vote`` is keyed by a per-ballot pseudonym, an HMAC of the member
with a key that exists only while the ballot is open (``Ballot.secret``). The
database enforces one vote per pseudonym, and a member can change their vote
by recomputing it; once the key is destroyed at the close, nobody (operators
included) can link a member to a choice. ``Participation`` records who voted
(turnout is public to organisers) with no link to the vote: no timestamps,
random primary keys, rows written in the same transaction.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assemblies.models import Assembly, Member


class BallotKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes, no or abstain")
    SCALE = "scale", _("Support scale (1 to 5)")


class Threshold(models.TextChoices):
    SIMPLE_MAJORITY = "majority", _("More than half")
    TWO_THIRDS = "two_thirds", _("Two thirds or more")
    EIGHTY = "eighty", _("80 % or more")


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    OPEN = "open", pgettext_lazy("ballot status", "Open")
    CLOSED = "closed", pgettext_lazy("ballot status", "Closed")


class Ballot(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="ballots")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ballots",
    )
    amendment = models.ForeignKey(
        "recommendations.Amendment", on_delete=models.CASCADE, null=True, blank=True, related_name="ballots"
    )
    question = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=BallotKind.choices, default=BallotKind.YES_NO)
    threshold = models.CharField(
        _("adopted with"), max_length=20, choices=Threshold.choices, default=Threshold.SIMPLE_MAJORITY
    )
    abstentions_count = models.BooleanField(
        _("abstentions count in the total"),
        default=False,
        help_text=_("If ticked, an abstention weighs like a vote against."),
    )
    quorum = models.PositiveIntegerField(_("quorum (votes needed)"), default=0)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    show_running_results = models.BooleanField(_("show results while open"), default=False)
    status = models.CharField(max_length=20, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    secret = models.BinaryField(null=True, blank=True, editable=False)  # destroyed at the close
    results = models.JSONField(default=dict, blank=True, editable=False)  # counts, frozen at the close
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["assembly", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.question


class Vote(models.Model):
    """One per (ballot, pseudonym): enforced by the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)  # HMAC(ballot secret, member id), hex
    choice = models.CharField(max_length=20)
    assisted = models.BooleanField(default=False)  # a paper ballot recorded by a facilitator

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_member_per_ballot")
        ]

    def __str__(self) -> str:
        return f"vote on ballot {self.ballot_id}"


class Participation(models.Model):
    """Who voted (turnout), with no link to what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ballot_participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="participate_once")]

    def __str__(self) -> str:
        return f"participation in ballot {self.ballot_id}"


# --- priority votes across adopted recommendations ---------------------------------
class PriorityMethod(models.TextChoices):
    DOTS = "dots", _("Dot-voting: spread your dots")
    RANKING = "ranking", _("Ranking: put them in order")


class PriorityRound(models.Model):
    """Which adopted recommendations matter most. Secret like a ballot: each
    member's points are keyed by an HMAC pseudonym whose key is destroyed at
    the close; ``results`` holds the frozen totals."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="priority_rounds")
    question = models.CharField(
        _("question"), max_length=500, default=_("Which recommendations matter most to you?")
    )
    method = models.CharField(
        _("method"), max_length=20, choices=PriorityMethod.choices, default=PriorityMethod.DOTS
    )
    dots = models.PositiveIntegerField(
        _("dots per member"), default=5, help_text=_("Dot-voting only; a ranking orders up to this many.")
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="priority_rounds"
    )
    status = models.CharField(max_length=20, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    secret = models.BinaryField(null=True, blank=True, editable=False)
    results = models.JSONField(default=dict, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["assembly", "id"]
        verbose_name = _("priority vote")
        verbose_name_plural = _("priority votes")

    def __str__(self) -> str:
        return self.question


class PriorityVote(models.Model):
    """Points one pseudonymous voter gives one recommendation (dots, or the
    Borda points of a rank)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="+"
    )
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "voter", "recommendation"], name="one_priority_per_voter_and_recommendation"
            )
        ]

    def __str__(self) -> str:
        return f"priority vote in round {self.round_id}"


class PriorityParticipation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="priority_participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="priority_participate_once")]

    def __str__(self) -> str:
        return f"participation in priority round {self.round_id}"


# --- minority statements -----------------------------------------------------------
class MinorityStatement(models.Model):
    """Members who dissent say why; published with the recommendation. The
    author is kept only so they can edit or withdraw it: pages show
    ``signed_as`` (the names the signatories chose to show) or "anonymous"."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="minority_statements"
    )
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="minority_statements"
    )
    text = models.TextField(_("statement"))
    signed_as = models.CharField(
        _("signed by"),
        max_length=500,
        blank=True,
        help_text=_("The names to show under the statement. Leave empty to publish it anonymously."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("minority statement")
        verbose_name_plural = _("minority statements")

    def __str__(self) -> str:
        return f"minority statement on {self.recommendation_id}"
