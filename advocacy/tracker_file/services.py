"""Import the tracker file: read and check everything, then apply it all in
one transaction through the tracker's write services (advocacy.tracking.services),
so every change is a StatusChange entry with source "import".

A plan with any error applies nothing; a dry run applies nothing either.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def stale_preview_message() -> str:
    return _(
        "the tracker has changed since the preview. Upload the file again to see what it would change now."
    )


class _Refused(Exception):
    def __init__(self, plan: Plan) -> None:
        self.plan = plan


def fingerprint(plan: Plan) -> list[list[Any]]:
    """The changes as plain data: what a preview showed, to compare at confirmation."""
    return [[c.row, c.column, c.old, c.new] for c in plan.changes]


def tracker_import(
    *,
    assembly: Assembly,
    file: IO[bytes],
    name: str,
    by: Actor,
    dry_run: bool = False,
    expected: list[list[Any]] | None = None,
) -> Plan:
    """Read ``file`` (CSV or XLSX, by ``name``'s extension), compare it with the
    tracker and, unless ``dry_run`` or the plan has errors, apply every change.
    With ``expected`` (a preview's ``fingerprint``), nothing is applied unless
    the changes are still exactly those: someone may have changed the tracker
    since, and the file must not undo their work unseen.
    Returns the plan (its ``changes`` were applied when ``ok`` and not a dry run)."""
    require_actor(by)
    tracking.check_manage(by, assembly)
    try:
        with transaction.atomic():
            plan = read(file, name, assembly)
            if plan.ok and expected is not None and fingerprint(plan) != expected:
                plan.errors.append(Problem(1, None, stale_preview_message()))
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
