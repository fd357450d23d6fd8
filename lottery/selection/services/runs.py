"""Start a selection run: check, create it once per request key, queue it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly
from jobs.services import delay_on_commit, job_create
from lottery.models import DrawStatus, RunKind, SelectionRun
from lottery.rules import RUN_SELECTION

from ..problem import panel_size_of
from ..selectors import ACTIVE

#: Seconds the engine may spend after maximin before returning what is fixed.
DEFAULT_TIME_LIMIT = 300


def check_can_run_selection(*, assembly: Assembly, by: Actor) -> None:
    authorise(by, RUN_SELECTION, assembly, _("You may not run the selection of this assembly."))


def check_no_active_run(*, assembly: Assembly) -> None:
    if SelectionRun.objects.filter(assembly=assembly, status__in=ACTIVE).exists():
        raise ValidationError(
            _(
                "A selection run is already being computed for this assembly. "
                "Wait for it to finish, then try again."
            )
        )


def create_run(*, assembly: Assembly, request_key: str, by: Actor, **fields: Any) -> SelectionRun:
    """Create the run, or return the one already created with ``request_key``
    (a double click, a retried request)."""
    existing = SelectionRun.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.assembly_id != assembly.pk:
            raise ValidationError(_("This form was already used for another assembly; reload the page."))
        return existing
    check_no_active_run(assembly=assembly)
    try:
        with transaction.atomic():
            run = SelectionRun.objects.create(
                assembly=assembly,
                request_key=request_key,
                requested_by=acting_user(by),  # type: ignore[misc]  # AUTH_USER_MODEL, typed as its abstract base
                **fields,
            )
    except IntegrityError:
        # Lost a race: either the same key (return that run) or another active run.
        existing = SelectionRun.objects.filter(request_key=request_key).first()
        if existing is not None and existing.assembly_id == assembly.pk:
            return existing
        check_no_active_run(assembly=assembly)
        raise
    return run


#: The kind of job that computes a run (registered in ``lottery.plugin``).
RUN_JOB = "lottery.selection_run"


def enqueue_run(run: SelectionRun, time_limit: int) -> None:
    """Give the new run its job (with the engine's time limit) and publish
    its computation once the transaction commits."""
    from ..tasks import compute_selection_run

    if run.job_id is not None:
        return  # published already (the same request twice)
    run.job = job_create(
        assembly_id=run.assembly_id, kind=RUN_JOB, target_id=run.pk, created_by=run.requested_by
    )
    run.job.details = {"time_limit": time_limit, "stage": "queued"}
    run.job.save(update_fields=["details"])
    run.save(update_fields=["job"])
    task = compute_selection_run.signature(
        (run.pk,), soft_time_limit=time_limit + 120, time_limit=time_limit + 180
    )
    delay_on_commit(task)


@transaction.atomic
def selection_run_start(
    *, assembly: Assembly, request_key: str, by: Actor, time_limit: int | None = None
) -> SelectionRun:
    """Queue the computation of a selection run; idempotent on ``request_key``."""
    check_can_run_selection(assembly=assembly, by=by)
    if not request_key or len(request_key) > 64:
        raise ValidationError(_("The form is missing its key; reload the page and try again."))
    existing = SelectionRun.objects.filter(request_key=request_key).first()
    if existing is not None and existing.assembly_id == assembly.pk:
        return existing
    if SelectionRun.objects.filter(
        assembly=assembly, kind=RunKind.SELECTION, status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN)
    ).exists():
        raise ValidationError(
            _(
                "A commitment for this assembly's lottery is already published: "
                "a new run would let anyone doubt the draw."
            )
        )
    k = panel_size_of(assembly)
    if k < 1:
        raise ValidationError(_("Set the number of seats in the recruitment settings first."))
    limit = int(
        time_limit or getattr(settings, "SELECTION_TIME_LIMIT", DEFAULT_TIME_LIMIT) or DEFAULT_TIME_LIMIT
    )
    run = create_run(
        assembly=assembly,
        request_key=request_key,
        by=by,
        kind=RunKind.SELECTION,
        panel_size=k,
    )
    if run.status == DrawStatus.QUEUED and run.job_id is None:  # new: not a double click
        audit_record(
            action="lottery.run_started",
            by=by,
            assembly=assembly,
            obj=run,
            data={"panel_size": k, "time_limit": limit},
        )
        enqueue_run(run, limit)
    return run
