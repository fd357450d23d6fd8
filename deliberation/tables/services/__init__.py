"""Writes of tables in the app, one module per workflow: ``plans`` (a plan and
its settings, tables, seat rules), ``compute`` (computing, a job running
``deliberation.engine``, and re-planning on the day), ``swap`` (adjusting by
hand), ``outputs`` (table outputs, extra attributes) and ``minutes`` (plenary
minutes); ``common`` holds what they share.

Every service is keyword-only and atomic, checks its permission first and
writes an audit event; computing is published after commit. The names callers
import from here are re-exported."""

from __future__ import annotations

from .common import DEFAULT_TIME_LIMIT, MAX_ROUNDS, MAX_TABLES, PLAN_JOB, PROGRESS_EVERY
from .compute import (
    build_problem,
    compute_plan_job,
    table_plan_compute,
    table_plan_compute_now,
    table_plan_replan,
)
from .minutes import minutes_approve, minutes_circulate, minutes_respond, minutes_save
from .outputs import member_attributes_set, table_output_save
from .plans import apart_add, pin_add, rule_remove, table_plan_create, table_plan_update, table_update
from .swap import table_plan_swap

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "MAX_ROUNDS",
    "MAX_TABLES",
    "PLAN_JOB",
    "PROGRESS_EVERY",
    "apart_add",
    "build_problem",
    "compute_plan_job",
    "member_attributes_set",
    "minutes_approve",
    "minutes_circulate",
    "minutes_respond",
    "minutes_save",
    "pin_add",
    "rule_remove",
    "table_output_save",
    "table_plan_compute",
    "table_plan_compute_now",
    "table_plan_create",
    "table_plan_replan",
    "table_plan_swap",
    "table_plan_update",
    "table_update",
]
