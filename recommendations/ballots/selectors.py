"""Deciding: the reads. ``ballot_result`` is the one place that turns counts
into shares, the threshold and "adopted": every page, the API, the exports and
the assembly's summary go through it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assemblies.models import Assembly, Member

from ..models import (
    Ballot,
    BallotKind,
    BallotStatus,
    Participation,
    PriorityRound,
    Recommendation,
    RecommendationStatus,
    Threshold,
)
from .services import SCALE_CHOICES, YES_NO_CHOICES, count_votes

#: The share of votes each threshold needs (at least; "more than half" is strict).
THRESHOLD_SHARES = {
    Threshold.SIMPLE_MAJORITY: Fraction(1, 2),
    Threshold.TWO_THIRDS: Fraction(2, 3),
    Threshold.EIGHTY: Fraction(4, 5),
}
#: The support levels the public list filters on (a share at or above).
SUPPORT_LEVELS = {"50": 0.5, "67": 2 / 3, "80": 0.8, "90": 0.9}
#: On the 1-5 scale: 4 and 5 are for, 1 and 2 against, 3 neutral (like an abstention).
SCALE_FOR, SCALE_AGAINST, SCALE_NEUTRAL = ("4", "5"), ("1", "2"), ("3",)


#: Each option's label, translated when read (``option_label``).
OPTION_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
    "1": gettext_lazy("1 – strongly against"),
    "2": gettext_lazy("2 – against"),
    "3": gettext_lazy("3 – neutral"),
    "4": gettext_lazy("4 – for"),
    "5": gettext_lazy("5 – strongly for"),
}


def option_label(kind: str, choice: str) -> str:
    # One lookup for the label asked for (not all eight: a list of results
    # asks for three labels per ballot).
    label = OPTION_LABELS.get(choice)
    return str(label) if label is not None else choice


@dataclass(frozen=True)
class Option:
    choice: str
    count: int
    # Of the votes counted (what the threshold is measured against), so the
    # chart, the table and "67 % in favour" agree; 0 when not counted.
    share: float
    counted: bool = True  # False: an abstention the ballot leaves out of the count

    @property
    def label(self) -> str:
        """Translated when shown (a summary of many results never reads it)."""
        return option_label("", self.choice)

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.0f} %"


@dataclass(frozen=True)
class BallotResult:
    ballot_id: int
    kind: str
    final: bool  # closed: frozen counts
    options: list[Option]
    votes: int  # every vote cast, abstentions included
    counted: int  # the votes the threshold is measured against
    in_favour: int
    share: float  # in favour / counted (0 when nothing counted)
    threshold: str
    threshold_share: float
    abstentions_count: bool
    quorum: int
    quorum_met: bool
    adopted: bool
    turnout: int
    electorate: int
    assisted: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.0f} %"

    @property
    def threshold_label(self) -> str:
        """The threshold in words, translated when shown."""
        return str(Threshold(self.threshold).label) if self.threshold in Threshold.values else ""

    @property
    def not_counted(self) -> int:
        """Votes cast but left out of the count (abstentions, when they do not count)."""
        return self.votes - self.counted

    @property
    def turnout_percent(self) -> str:
        return f"{self.turnout / self.electorate * 100:.0f} %" if self.electorate else "–"

    def as_dict(self) -> dict[str, Any]:
        """What the API and the downloads publish: aggregates only."""
        return {
            "final": self.final,
            "counts": {o.choice: o.count for o in self.options},
            "votes": self.votes,
            "counted": self.counted,
            "in_favour": self.in_favour,
            "share": round(self.share, 4),
            "threshold": self.threshold,
            "threshold_share": round(self.threshold_share, 4),
            "abstentions_count": self.abstentions_count,
            "quorum": self.quorum,
            "quorum_met": self.quorum_met,
            "adopted": self.adopted,
            "turnout": self.turnout,
            "electorate": self.electorate,
        }


#: The fields ballot_result reads (for lists that need no more of a ballot).
RESULT_FIELDS = (
    "pk",
    "recommendation_id",
    "status",
    "kind",
    "results",
    "threshold",
    "abstentions_count",
    "quorum",
)


def ballot_result(ballot: Ballot, counts: dict[str, Any] | None = None) -> BallotResult:
    """The result of one ballot: frozen counts once closed, else ``counts``
    (or live counts, for organisers' running results)."""
    data = ballot.results if ballot.status == BallotStatus.CLOSED else (counts or count_votes(ballot))
    raw = data.get("counts", {})
    order = SCALE_CHOICES if ballot.kind == BallotKind.SCALE else YES_NO_CHOICES
    votes = sum(int(raw.get(c, 0)) for c in order)
    if ballot.kind == BallotKind.SCALE:
        in_favour = sum(int(raw.get(c, 0)) for c in SCALE_FOR)
        against = sum(int(raw.get(c, 0)) for c in SCALE_AGAINST)
        neutral = sum(int(raw.get(c, 0)) for c in SCALE_NEUTRAL)
        neutral_choices: tuple[str, ...] = SCALE_NEUTRAL
    else:
        in_favour, against, neutral = (int(raw.get(c, 0)) for c in YES_NO_CHOICES)
        neutral_choices = ("abstain",)
    counted = in_favour + against + (neutral if ballot.abstentions_count else 0)
    options = []
    for choice in order:
        count, is_counted = int(raw.get(choice, 0)), ballot.abstentions_count or choice not in neutral_choices
        share = count / counted if counted and is_counted else 0.0
        options.append(Option(choice, count, share, is_counted))
    needed = THRESHOLD_SHARES.get(Threshold(ballot.threshold), Fraction(1, 2))
    if counted:
        exact = Fraction(in_favour, counted)
        passes = exact > needed if ballot.threshold == Threshold.SIMPLE_MAJORITY else exact >= needed
    else:
        exact, passes = Fraction(0), False
    quorum_met = votes >= ballot.quorum
    return BallotResult(
        ballot_id=ballot.pk,
        kind=ballot.kind,
        final=ballot.status == BallotStatus.CLOSED,
        options=options,
        votes=votes,
        counted=counted,
        in_favour=in_favour,
        share=float(exact),
        threshold=ballot.threshold,
        threshold_share=float(needed),
        abstentions_count=ballot.abstentions_count,
        quorum=ballot.quorum,
        quorum_met=quorum_met,
        adopted=bool(passes and quorum_met),
        turnout=int(data.get("turnout", 0)),
        electorate=int(data.get("electorate", 0)),
        assisted=int(data.get("assisted", 0)),
    )


def deciding_ballot(recommendation: Recommendation) -> Ballot | None:
    """The closed ballot that decided a recommendation (the latest), using a
    ``closed_ballots`` prefetch when there is one."""
    closed = getattr(recommendation, "closed_ballots", None)
    if closed is None:
        closed = list(
            recommendation.ballots.filter(status=BallotStatus.CLOSED, amendment__isnull=True).order_by(
                "closed_at", "id"
            )
        )
    return closed[-1] if closed else None


def closed_ballots_prefetch() -> Prefetch:
    return Prefetch(
        "ballots",
        queryset=Ballot.objects.filter(status=BallotStatus.CLOSED, amendment__isnull=True)
        .only(*RESULT_FIELDS)
        .order_by("closed_at", "id"),
        to_attr="closed_ballots",
    )


def recommendation_result(recommendation: Recommendation) -> BallotResult | None:
    ballot = deciding_ballot(recommendation)
    return ballot_result(ballot) if ballot is not None else None


# --- the assembly's summary ---------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    decided: int
    adopted: int
    above: dict[str, int]  # support level key ("80") → recommendations at or above it

    def sentence(self) -> str:
        text = ngettext(
            "%(adopted)s of %(decided)s recommendation adopted",
            "%(adopted)s of %(decided)s recommendations adopted",
            self.decided,
        ) % {"adopted": self.adopted, "decided": self.decided}
        if self.decided:
            text += _("; %(n)s with 80 %% or more in favour") % {"n": self.above.get("80", 0)}
        return text


def deciding_ballots(assembly: Assembly) -> dict[int, list[Ballot]]:
    """Each recommendation's closed ballots on its text (not on an amendment),
    oldest first, by recommendation id, withdrawn recommendations left out: in
    one query, with only the fields a result needs. The last of each is its
    deciding ballot (``deciding_ballot``'s rule); set as ``closed_ballots`` on
    recommendations, they stand for ``closed_ballots_prefetch``."""
    found: dict[int, list[Ballot]] = {}
    for ballot in (
        Ballot.objects.filter(
            recommendation__assembly=assembly, status=BallotStatus.CLOSED, amendment__isnull=True
        )
        .exclude(recommendation__status=RecommendationStatus.WITHDRAWN)
        .only(*RESULT_FIELDS)
        .order_by("closed_at", "id")
    ):
        found.setdefault(ballot.recommendation_id, []).append(ballot)  # type: ignore[arg-type]
    return found


def assembly_summary(assembly: Assembly, ballots: dict[int, list[Ballot]] | None = None) -> Summary:
    """Decided and adopted recommendations; ``ballots``: ``deciding_ballots``
    when the caller has read them for its list too."""
    found = deciding_ballots(assembly) if ballots is None else ballots
    results = [ballot_result(closed[-1]) for closed in found.values() if closed]
    return Summary(
        decided=len(results),
        adopted=sum(1 for r in results if r.adopted),
        above={
            key: sum(1 for r in results if r.share >= level - 1e-9) for key, level in SUPPORT_LEVELS.items()
        },
    )


# --- lists ---------------------------------------------------------------------------
def ballots_for_assembly(assembly: Assembly) -> QuerySet[Ballot]:
    return Ballot.objects.filter(assembly=assembly).select_related(
        "recommendation", "amendment__recommendation"
    )


def turnout_counts(ballots: Iterable[Ballot]) -> dict[int, int]:
    from django.db.models import Count

    ids = [b.pk for b in ballots]
    return dict(
        Participation.objects.filter(ballot_id__in=ids)
        .values("ballot_id")
        .annotate(n=Count("id"))
        .values_list("ballot_id", "n")
    )


def member_ballots(assembly: Assembly, member: Member) -> list[tuple[Ballot, bool]]:
    """The ballots a member sees (open and closed, not drafts) and whether they voted."""
    ballots = list(
        ballots_for_assembly(assembly)
        .exclude(status=BallotStatus.DRAFT)
        .order_by("-status", "closes_at", "id")
    )
    voted = set(
        Participation.objects.filter(ballot__in=ballots, member=member).values_list("ballot_id", flat=True)
    )
    return [(b, b.pk in voted) for b in ballots]


@dataclass(frozen=True)
class PriorityRow:
    recommendation: Recommendation
    points: int
    backers: int
    share: float  # of the top score, for the bar


def priority_results(round_: PriorityRound) -> list[PriorityRow]:
    """Totals, highest first (frozen at the close)."""
    if round_.status != BallotStatus.CLOSED:
        return []
    points = {int(k): int(v) for k, v in round_.results.get("points", {}).items()}
    backers = {int(k): int(v) for k, v in round_.results.get("backers", {}).items()}
    top = max(points.values(), default=0) or 1
    recs = Recommendation.objects.filter(pk__in=points).order_by("number")
    rows = [
        PriorityRow(r, points.get(r.pk, 0), backers.get(r.pk, 0), points.get(r.pk, 0) / top) for r in recs
    ]
    return sorted(rows, key=lambda row: (-row.points, row.recommendation.number))
