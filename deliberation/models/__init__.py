"""Deliberation's models, one module per part of the app (see each module)."""

from .expenses import Expense, ExpenseKind, ExpenseStatus
from .people import AccessNeed, Attendance, AttendanceStatus, Participant
from .questions import Question, QuestionStatus
from .sessions import (
    AgendaItem,
    AgendaKind,
    Evidence,
    EvidenceKind,
    Session,
    SessionMode,
    SessionStatus,
    Speaker,
    SpeakerKind,
    Stance,
    Topic,
)
from .tables import (
    KeptApart,
    MemberAttribute,
    MinutesDecision,
    MinutesResponse,
    MinutesStatus,
    PlanStatus,
    PlanTable,
    PlenaryMinutes,
    Seat,
    TableOutput,
    TablePin,
    TablePlan,
)


__all__ = [
    "KeptApart",
    "MemberAttribute",
    "MinutesDecision",
    "MinutesResponse",
    "MinutesStatus",
    "PlanStatus",
    "PlanTable",
    "PlenaryMinutes",
    "Seat",
    "TableOutput",
    "TablePin",
    "TablePlan",
    "Expense",
    "ExpenseKind",
    "ExpenseStatus",
    "AccessNeed",
    "AgendaItem",
    "AgendaKind",
    "Attendance",
    "AttendanceStatus",
    "Evidence",
    "EvidenceKind",
    "Participant",
    "Question",
    "QuestionStatus",
    "Session",
    "SessionMode",
    "SessionStatus",
    "Speaker",
    "SpeakerKind",
    "Stance",
    "Topic",
]
