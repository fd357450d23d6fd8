"""Table allocation engine: plain data in, plain data out, no Django.

Seats the members of an assembly at small tables, round after round. Hard
rules always hold: every present member at exactly one table per round, table
sizes within one of each other, seat rules (allowed tables), kept-apart pairs,
rounds already held kept as they were. Then, in this order: balance (every
table's count of each attribute value within one seat of its proportional
share, as many tables in band as the room allows) and mixing (as few repeated
meetings as possible, earlier rounds first).

Typical use::

    plan = allocate(TableProblem(members, tables=15, rounds=8, mix=["gender", "age"]),
                    seed=1, time_limit=10)
    plan.rounds[0][2]            # member ids at table 3 in round 1
    plan.explanation.repeats     # every pair seated together more than once
"""

from .api import allocate
from .explain import explain
from .model import (
    ENGINE_VERSION,
    ConflictingRules,
    Explanation,
    InvalidInput,
    Member,
    OutOfBand,
    Progress,
    Repeat,
    SeatRule,
    TableError,
    TablePlan,
    TableProblem,
)

__all__ = [
    "ENGINE_VERSION",
    "ConflictingRules",
    "Explanation",
    "InvalidInput",
    "Member",
    "OutOfBand",
    "Progress",
    "Repeat",
    "SeatRule",
    "TableError",
    "TablePlan",
    "TableProblem",
    "allocate",
    "explain",
]
