"""Computing a plan: the engine's view of it, queueing the job (all rounds, or
re-planning on the day from who is checked in) and the task's work."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user
from assemblies.audit import audit_record
from deliberation.engine import Member as EngineMember
from deliberation.engine import SeatRule, TableProblem, allocate
from deliberation.engine.model import Progress, TableError
from deliberation.models import AccessNeed, Attendance, AttendanceStatus, PlanStatus, Seat, TablePlan
from jobs.models import Job, JobStatus
from jobs.services import (
    JobSuperseded,
    delay_on_commit,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
)

from .. import selectors
from .common import (
    DEFAULT_TIME_LIMIT,
    PLAN_JOB,
    PROGRESS_EVERY,
    _assembly,
    _check_manage,
    _check_not_computing,
    _round_of,
    _time_limit,
)


# --- computing -----------------------------------------------------------------------------
def build_problem(
    plan: TablePlan, *, kept: Sequence[Sequence[Sequence[int]]] = (), absent: Sequence[int] = ()
) -> TableProblem:
    """The engine's view of the plan: members (ids as text) with the values of the
    attributes to mix, pins and access needs as allowed tables, pairs kept apart.
    Raises ValidationError naming what cannot hold before the engine runs."""
    assembly = _assembly(plan)
    tables = list(plan.tables.all())
    ids = set(selectors.seated_members(assembly).values_list("pk", flat=True))
    ids |= {m for tables_ in kept for table in tables_ for m in table}
    values = selectors.attributes_of(assembly, ids, plan.mix)
    members = [EngineMember(str(pk), values[pk]) for pk in sorted(ids)]
    rules: list[SeatRule] = []
    for pin in plan.pins.select_related("table"):
        if pin.member_id in ids:
            rules.append(
                SeatRule(
                    str(pin.member_id),
                    frozenset({pin.table.number}),
                    pin.round,
                    _("seat rule %(n)s") % {"n": pin.pk},
                )
            )
    missing: dict[str, int] = {}
    for need in selectors.access_rules(plan, tables, ids):
        if not need.tables:
            key = need.language if need.need == AccessNeed.INTERPRETER else need.need
            missing[key] = missing.get(key, 0) + 1
            continue
        rules.append(SeatRule(str(need.member_id), need.tables, None, str(AccessNeed(need.need).label)))
    if missing:
        parts = []
        for key, n in sorted(missing.items()):
            if key == AccessNeed.STEP_FREE:
                parts.append(_("%(n)s member(s) need step-free access, but no table is step-free") % {"n": n})
            else:
                parts.append(
                    _(
                        "%(n)s member(s) need an interpreter for %(language)s, "
                        "but no table is interpreted in it"
                    )
                    % {"n": n, "language": key}
                )
        raise ValidationError("; ".join(parts) + ". " + _("Mark the tables that meet these needs."))
    apart = [
        (str(p.member_a_id), str(p.member_b_id))
        for p in plan.apart.all()
        if {p.member_a_id, p.member_b_id} <= ids
    ]
    present = len(ids - set(absent))
    if present < plan.table_count:
        raise ValidationError(
            _("%(present)s members to seat at %(tables)s tables: use fewer tables.")
            % {"present": present, "tables": plan.table_count}
        )
    return TableProblem(
        members=members,
        tables=plan.table_count,
        rounds=plan.rounds,
        mix=list(plan.mix),
        rules=rules,
        apart=apart,
        kept=[[[str(m) for m in table] for table in tables_] for tables_ in kept],
        absent=frozenset(str(m) for m in absent if m in ids),
    )


def _enqueue(plan: TablePlan, by: Actor, details: dict[str, Any], *, publish: bool = True) -> Job:
    from ..tasks import compute_table_plan

    assembly = _assembly(plan)
    job = job_create(assembly_id=assembly.pk, kind=PLAN_JOB, target_id=plan.pk, created_by=acting_user(by))
    job.details = {**details, "time_limit": _time_limit(), "phase": "queued"}
    job.save(update_fields=["details"])
    plan.job, plan.status, plan.message = job, PlanStatus.COMPUTING, ""
    plan.save(update_fields=["job", "status", "message", "updated_at"])
    if publish:
        delay_on_commit(compute_table_plan, plan.pk)
    return job


@transaction.atomic
def table_plan_compute(*, plan: TablePlan, by: Actor) -> Job:
    """Queue the computation of every round (the stored seats are replaced)."""
    assembly = _check_manage(plan, by)
    plan = TablePlan.objects.select_for_update().select_related("session__assembly").get(pk=plan.pk)
    _check_not_computing(plan)
    build_problem(plan)  # refuse now what cannot hold, with the organiser still on the page
    job = _enqueue(plan, by, {"from_round": 1, "absent": []})
    audit_record(
        action="deliberation.table_plan_computed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"seed": plan.seed},
    )
    return job


def table_plan_compute_now(*, plan: TablePlan, by: Actor) -> TablePlan | None:
    """Compute every round in this process, without a task (the demo, a shell)."""
    with transaction.atomic():
        _check_manage(plan, by)
        plan = TablePlan.objects.select_for_update().select_related("session__assembly").get(pk=plan.pk)
        _check_not_computing(plan)
        build_problem(plan)
        _enqueue(plan, by, {"from_round": 1, "absent": []}, publish=False)
    return compute_plan_job(plan.pk)


@transaction.atomic
def table_plan_replan(*, plan: TablePlan, from_round: Any, by: Actor) -> Job:
    """On the day: seat rounds ``from_round``.. again from who is checked in,
    keeping the rounds before it exactly as they were held."""
    assembly = _check_manage(plan, by)
    plan = TablePlan.objects.select_for_update().select_related("session__assembly").get(pk=plan.pk)
    _check_not_computing(plan)
    if plan.status != PlanStatus.READY:
        raise ValidationError(_("Compute the plan first; re-planning keeps rounds of a computed plan."))
    start = _round_of(plan, from_round)
    assert start is not None
    present = set(
        Attendance.objects.filter(session=plan.session, status=AttendanceStatus.PRESENT).values_list(
            "member_id", flat=True
        )
    )
    if not present:
        raise ValidationError(_("Nobody is checked in for this session yet: check members in first."))
    rounds = selectors.plan_rounds(plan)
    kept = rounds[: start - 1]
    everyone = set(selectors.seated_members(assembly).values_list("pk", flat=True))
    everyone |= {m for tables_ in rounds for table in tables_ for m in table}
    absent = sorted(everyone - present)
    build_problem(plan, kept=kept, absent=absent)
    job = _enqueue(plan, by, {"from_round": start, "absent": absent})
    audit_record(
        action="deliberation.table_plan_replanned",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"from_round": start, "present": len(present), "absent": len(absent)},
    )
    return job


def _progress_writer(job_id: int, token: str, base: dict[str, Any]) -> Any:
    last = [0.0]
    limit = int(base.get("time_limit", DEFAULT_TIME_LIMIT))

    def report(event: Progress) -> None:
        now = time.monotonic()
        if event.phase != "done" and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        job_progress(
            job_id,
            token,
            done=min(int(event.seconds), limit),
            total=limit,
            details={
                **base,
                "phase": event.phase,
                "repeated_pairs": event.repeated_pairs,
                "out_of_band": event.out_of_band,
            },
        )

    return report


def compute_plan_job(plan_id: int) -> TablePlan | None:
    """The task's work: claim the plan's job, run the engine, store the seats and
    figures in the same transaction as the job's end. None when there was
    nothing to do (another delivery has the job, or it is over)."""
    plan = TablePlan.objects.select_related("session__assembly", "job").filter(pk=plan_id).first()
    if plan is None or plan.job_id is None:
        return None
    job_id = plan.job_id
    token = job_claim(job_id)
    if token is None:
        return None
    details = dict(plan.job.details) if plan.job else {}
    start = int(details.get("from_round", 1))
    absent = [int(m) for m in details.get("absent", [])]
    try:
        kept = selectors.plan_rounds(plan)[: start - 1] if start > 1 else []
        problem = build_problem(plan, kept=kept, absent=absent)
        result = allocate(
            problem,
            seed=plan.seed,
            time_limit=float(details.get("time_limit", _time_limit())),
            progress=_progress_writer(job_id, token, details),
        )
        with transaction.atomic():
            if not Job.objects.select_for_update().filter(
                pk=job_id, claim_token=token, status=JobStatus.RUNNING
            ):
                raise JobSuperseded(job_id)
            _store(plan, result.rounds, start)
            plan.complete = result.complete
            plan.held_rounds = start - 1
            plan.status = PlanStatus.READY
            plan.computed_at = timezone.now()
            plan.message = ""
            _set_figures(plan, result.explanation)
            plan.save()
            audit_record(
                action="deliberation.table_plan_ready",
                by=SYSTEM,
                assembly=_assembly(plan),
                obj=plan,
                data={
                    "repeated_pairs": plan.repeated_pairs,
                    "out_of_band": plan.out_of_band,
                    "from_round": start,
                },
            )
            job_finish(job_id, token, message=_("The plan is ready."))
        return plan
    except JobSuperseded:
        return None
    except (TableError, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _fail(plan, job_id, token, _("The plan could not be computed: %(reason)s") % {"reason": text})
        return plan
    except Exception:
        _fail(plan, job_id, token, _("The plan could not be computed because of an error on our side."))
        raise


def _fail(plan: TablePlan, job_id: int, token: str, message: str) -> None:
    try:
        with transaction.atomic():
            job_fail(job_id, token, message=message)
            plan.status = PlanStatus.READY if plan.seats.exists() else PlanStatus.FAILED
            plan.message = message
            plan.save(update_fields=["status", "message", "updated_at"])
    except JobSuperseded:
        pass


def _store(plan: TablePlan, rounds: list[list[list[str]]], start: int) -> None:
    """Replace the seats of rounds ``start``.. (earlier rounds were kept as held)."""
    tables = {t.number: t for t in plan.tables.all()}
    plan.seats.filter(round__gte=start).delete()
    seats = [
        Seat(plan=plan, round=r, table=tables[t], member_id=int(m))
        for r, tables_ in enumerate(rounds, start=1)
        if r >= start
        for t, table in enumerate(tables_, start=1)
        for m in table
    ]
    Seat.objects.bulk_create(seats)


def _set_figures(plan: TablePlan, explanation: Any) -> None:
    plan.repeated_pairs = explanation.repeated_pairs
    plan.out_of_band = explanation.out_of_band
    plan.met_mean = explanation.distinct_met_mean
