"""Writes of attendance and stipends, one module per workflow: ``participants``
(participants and their needs), ``checkin`` (check-in, idempotent by the
phone's key, attendance marks, withdrawals) and ``expenses`` (expenses and
stipends).

Every service checks its permission first (``assemblies.actors.authorise``),
runs in one transaction and leaves an audit event. The names callers import
from here are re-exported."""

from __future__ import annotations

from .checkin import (
    attendance_mark,
    attendance_mark_rest_absent,
    check_can_facilitate,
    checkin,
    find_by_badge,
    member_withdraw,
    normalise_badge_code,
)
from .expenses import (
    CLAIMABLE,
    MAX_AMOUNT,
    RECEIPT_MAX_BYTES,
    expense_approve,
    expense_claim,
    expense_mark_paid,
    expense_reject,
    may_see_receipt,
    stipends_generate,
)
from .participants import (
    ensure_participant,
    ensure_participants,
    needs_from_registration,
    participant_update_needs,
)

__all__ = [
    "CLAIMABLE",
    "MAX_AMOUNT",
    "RECEIPT_MAX_BYTES",
    "attendance_mark",
    "attendance_mark_rest_absent",
    "check_can_facilitate",
    "checkin",
    "ensure_participant",
    "ensure_participants",
    "expense_approve",
    "expense_claim",
    "expense_mark_paid",
    "expense_reject",
    "find_by_badge",
    "may_see_receipt",
    "member_withdraw",
    "needs_from_registration",
    "normalise_badge_code",
    "participant_update_needs",
    "stipends_generate",
]
