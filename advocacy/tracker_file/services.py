"""Import the tracker file: read and check everything, then apply it all in
one transaction through the tracker's write services (advocacy.tracking.services),
so every change is a StatusChange entry with source "import".

A plan with any error applies nothing; a dry run applies nothing either.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advocacy.tracking import services as tracking
from assemblies.actors import Actor, require_actor
from assemblies.audit import audit_record
from assemblies.models import Assembly

from .columns import RESPONSE_COLUMNS
from .plan import Plan, Problem, read

SOURCE = "import"
#: file column → the key of tracking.services.response_record's data
RESPONSE_KEYS = {
    "response_status": "status",
    "response_date": "responded_on",
    "response_due": "due_on",
    "justification": "justification",
    "source_url": "source_url",
}


class _Refused(Exception):
    def __init__(self, plan: Plan) -> None:
        self.plan = plan


def tracker_import(
    *, assembly: Assembly, file: IO[bytes], name: str, by: Actor, dry_run: bool = False
) -> Plan:
    """Read ``file`` (CSV or XLSX, by ``name``'s extension), compare it with the
    tracker and, unless ``dry_run`` or the plan has errors, apply every change.
    Returns the plan (its ``changes`` were applied when ``ok`` and not a dry run)."""
    require_actor(by)
    tracking.check_manage(by, assembly)
    try:
        with transaction.atomic():
            plan = read(file, name, assembly)
            if not plan.ok or dry_run or not plan.changes:
                return plan
            _apply(assembly, plan, by)
            return plan
    except _Refused as refused:
        return refused.plan


def _apply(assembly: Assembly, plan: Plan, by: Actor) -> None:
    today = timezone.localdate()
    for recommendation, _current, cells in plan.updates:
        changed = {c.column for c in plan.changes if c.recommendation.pk == recommendation.pk}
        row = next(c.row for c in plan.changes if c.recommendation.pk == recommendation.pk)
        try:
            response = {RESPONSE_KEYS[c]: cells[c] for c in RESPONSE_COLUMNS if c in changed}
            if response:
                tracking.response_record(recommendation=recommendation, data=response, by=by, source=SOURCE)
            milestone = "latest_milestone" in changed or "evidence_url" in changed
            if milestone:
                tracking.milestone_add(
                    recommendation=recommendation,
                    data={
                        "date": today,
                        "title": cells["latest_milestone"],
                        "status": cells["implementation_status"],
                        "evidence_url": cells["evidence_url"],
                    },
                    by=by,
                    source=SOURCE,
                )
            status_only = "implementation_status" in changed and not milestone
            if status_only or "notes" in changed:
                tracking.tracking_update(
                    recommendation=recommendation,
                    notes=cells["notes"] if "notes" in changed else None,
                    implementation_status=cells["implementation_status"] if status_only else None,
                    by=by,
                    source=SOURCE,
                )
        except ValidationError as exc:
            # The checks of the plan should have caught it; refuse the whole file.
            plan.errors.append(Problem(row, None, " ".join(exc.messages)))
            raise _Refused(plan) from exc
    audit_record(
        action="advocacy.tracker_imported",
        by=by,
        assembly=assembly,
        obj=assembly,
        data={"changes": len(plan.changes), "rows": len(plan.updates)},
    )
