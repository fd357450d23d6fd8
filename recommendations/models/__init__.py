"""Recommendations' models: drafting (drafting.py) and deciding (ballots.py)."""

from .ballots import (
    Ballot,
    BallotKind,
    BallotStatus,
    MinorityStatement,
    Participation,
    PriorityMethod,
    PriorityParticipation,
    PriorityRound,
    PriorityVote,
    Threshold,
    Vote,
)
from .drafting import (
    Amendment,
    AmendmentState,
    AmendmentSupport,
    Comment,
    Level,
    Recommendation,
    RecommendationStatus,
    Version,
    WorkingGroup,
)

__all__ = [
    "Amendment",
    "AmendmentState",
    "AmendmentSupport",
    "Ballot",
    "BallotKind",
    "BallotStatus",
    "Comment",
    "Level",
    "MinorityStatement",
    "Participation",
    "PriorityMethod",
    "PriorityParticipation",
    "PriorityRound",
    "PriorityVote",
    "Recommendation",
    "RecommendationStatus",
    "Threshold",
    "Version",
    "Vote",
    "WorkingGroup",
]
