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

__all__ = [
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
