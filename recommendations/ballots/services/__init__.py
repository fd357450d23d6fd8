"""Deciding: the writes. Keyword-only, one transaction, checked, audited.

Secrecy rules that every function here keeps:

- a vote is stored under ``voter = HMAC(ballot.secret, member id)``; the
  ``Participation`` row (who voted) has no link to it (random ids, no time);
- no audit event, log line or message ever carries a choice;
- the secret is set to NULL in the transaction that freezes the results, so
  after the close nobody can recompute a pseudonym.

One module per workflow: ``ballots`` (set up, open, close, the stage guard),
``voting``, ``priorities`` (priority votes), ``schedule`` (opening and closing
at the set times) and ``statements`` (minority statements); ``common`` holds
what they share. The names callers import from
here are re-exported.
"""

from __future__ import annotations

from .ballots import (
    ballot_close,
    ballot_create,
    ballot_delete,
    ballot_open,
    ballots_stage_guard,
    count_votes,
)
from .common import (
    SCALE_CHOICES,
    STATEMENT_STAGES,
    VOTING_STAGES,
    YES_NO_CHOICES,
    choices_for,
    pseudonym,
    voters,
)
from .priorities import my_priorities, priority_close, priority_create, priority_open, priority_vote
from .schedule import ballots_due, open_and_close_due_ballots
from .statements import minority_statement_add, minority_statement_withdraw
from .voting import my_choice, vote_cast

__all__ = [
    "SCALE_CHOICES",
    "STATEMENT_STAGES",
    "VOTING_STAGES",
    "YES_NO_CHOICES",
    "ballot_close",
    "ballot_create",
    "ballot_delete",
    "ballot_open",
    "ballots_due",
    "ballots_stage_guard",
    "choices_for",
    "count_votes",
    "minority_statement_add",
    "minority_statement_withdraw",
    "my_choice",
    "my_priorities",
    "open_and_close_due_ballots",
    "priority_close",
    "priority_create",
    "priority_open",
    "priority_vote",
    "pseudonym",
    "vote_cast",
    "voters",
]
