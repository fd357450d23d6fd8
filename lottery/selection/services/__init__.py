"""Writes of the lottery, one module per workflow: ``runs`` (start a run),
``compute`` (the task's work), ``draw`` (publish the commitment, draw the
panel) and ``panel`` (confirm, decline, drop out, replace, finalise).

Each public function checks first (PermissionDenied through
``assemblies.actors.authorise``, or ValidationError in plain words) and then
mutates inside one transaction with an audit event that names respondents by
pseudonym only. Views call exactly one of them.

The engine's view of an assembly is a read and lives in
``lottery.selection.problem``; other reads are in ``lottery.selection.selectors``.
The names callers used to import from here are re-exported.
"""

from __future__ import annotations

from ..problem import FRESH_POOL, ON_PANEL, REPLACEMENT_POOL, build_problem, panel_size_of, pool_of
from ..selectors import ACTIVE, vacant_seats
from .compute import claim_run, explain, selection_run_compute, selection_run_fail
from .draw import selection_draw, selection_publish_commitment
from .panel import (
    panel_finalise,
    replacement_start,
    reserve_call,
    respondent_confirm,
    respondent_decline,
    respondent_withdraw,
)
from .runs import DEFAULT_TIME_LIMIT, check_can_run_selection, check_no_active_run, selection_run_start

__all__ = [
    "ACTIVE",
    "DEFAULT_TIME_LIMIT",
    "FRESH_POOL",
    "ON_PANEL",
    "REPLACEMENT_POOL",
    "build_problem",
    "check_can_run_selection",
    "check_no_active_run",
    "claim_run",
    "explain",
    "panel_finalise",
    "panel_size_of",
    "pool_of",
    "replacement_start",
    "reserve_call",
    "respondent_confirm",
    "respondent_decline",
    "respondent_withdraw",
    "selection_draw",
    "selection_publish_commitment",
    "selection_run_compute",
    "selection_run_fail",
    "selection_run_start",
    "vacant_seats",
]
