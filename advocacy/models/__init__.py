"""Advocacy's models, one module per part (tracking.py: responses and implementation)."""

from .tracking import (
    ImplementationStatus,
    Institution,
    Milestone,
    MilestoneKind,
    Rating,
    Response,
    ResponseStatus,
    StatusChange,
    Tracking,
)

__all__ = [
    "ImplementationStatus",
    "Institution",
    "Milestone",
    "MilestoneKind",
    "Rating",
    "Response",
    "ResponseStatus",
    "StatusChange",
    "Tracking",
]
