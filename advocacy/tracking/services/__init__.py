"""The one write path for the tracker: responses, milestones, tracking notes
and implementation status. Every change writes a ``StatusChange`` row (who,
what, when, with which evidence) and an audit event; status changes are
announced to followers once the transaction commits.

Values in ``data`` may be Python values (dates, model instances) or the
strings of a form or a file ("2026-03-01", "accepted_in_principle", "" for
none). A bad value raises ``ValidationError`` with a message per field
(the keys of ``RESPONSE_FIELDS`` / ``MILESTONE_FIELDS``) and changes nothing.

Each write returns a ``Written``: the object, and the ``StatusChange`` rows it
created (an empty list means nothing changed).

One module per workflow: ``responses`` (responses awaited and recorded,
members' ratings), ``milestones`` (milestones, notes, implementation status,
impact tags) and ``institutions`` (an institution's own entry through a private
link); ``common`` holds what they share. The names callers import from here
are re-exported.
"""

from __future__ import annotations

from .common import (
    ANNOUNCED,
    DUE_MONTHS,
    MILESTONE_FIELDS,
    RESPONSE_FIELDS,
    SOURCES,
    Written,
    add_months,
    check_manage,
    check_tracked,
    default_due_on,
    parse_day,
)
from .institutions import (
    LINK_DAYS,
    institution_link_create,
    institution_submit,
    link_state,
    pending_accept,
    pending_discard,
)
from .milestones import clean_milestone_data, impact_tag_add, milestone_add, tracking_for, tracking_update
from .responses import (
    clean_response_data,
    ensure_responses,
    on_stage_change,
    rating_set,
    response_for,
    response_record,
)

__all__ = [
    "ANNOUNCED",
    "DUE_MONTHS",
    "LINK_DAYS",
    "MILESTONE_FIELDS",
    "RESPONSE_FIELDS",
    "SOURCES",
    "Written",
    "add_months",
    "check_manage",
    "check_tracked",
    "clean_milestone_data",
    "clean_response_data",
    "default_due_on",
    "ensure_responses",
    "impact_tag_add",
    "institution_link_create",
    "institution_submit",
    "link_state",
    "milestone_add",
    "on_stage_change",
    "parse_day",
    "pending_accept",
    "pending_discard",
    "rating_set",
    "response_for",
    "response_record",
    "tracking_for",
    "tracking_update",
]
