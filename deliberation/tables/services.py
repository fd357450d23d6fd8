"""Writes of tables in the app: plans and their settings, tables, seat rules,
computing (a job running ``deliberation.engine``), swaps, re-planning on the
day, table outputs, extra attributes and plenary minutes.

Every service is keyword-only and atomic, checks its permission first and
writes an audit event; computing is published after commit."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.rules import SEE_PERSONAL_DATA
from deliberation.engine import Member as EngineMember
from deliberation.engine import SeatRule, TableProblem, allocate
from deliberation.engine.model import Progress, TableError
from deliberation.models import (
    AccessNeed,
    Attendance,
    AttendanceStatus,
    KeptApart,
    MemberAttribute,
    MinutesDecision,
    MinutesResponse,
    MinutesStatus,
    PlanStatus,
    PlanTable,
    PlenaryMinutes,
    Seat,
    Session,
    TableOutput,
    TablePin,
    TablePlan,
)
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME
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

from . import selectors

#: The kind of job that computes a plan (registered in ``deliberation.tables.plugin``).
PLAN_JOB = "deliberation.table_plan"
#: Seconds the engine may search (a last resort: its work is bounded by proposals).
DEFAULT_TIME_LIMIT = 30
#: Progress is written to the job at most this often (seconds).
PROGRESS_EVERY = 1.0
MAX_ROUNDS = 20
MAX_TABLES = 200


def _time_limit() -> int:
    return int(getattr(settings, "TABLE_PLAN_TIME_LIMIT", DEFAULT_TIME_LIMIT) or DEFAULT_TIME_LIMIT)


def _assembly(plan: TablePlan) -> Assembly:
    return plan.session.assembly


def _check_manage(plan_or_assembly: TablePlan | Assembly, by: Actor) -> Assembly:
    assembly = plan_or_assembly if isinstance(plan_or_assembly, Assembly) else _assembly(plan_or_assembly)
    authorise(by, MANAGE_PROGRAMME, assembly, _("You may not change the table plans of this assembly."))
    return assembly


def _check_not_computing(plan: TablePlan) -> None:
    if plan.status == PlanStatus.COMPUTING:
        raise ValidationError(_("The plan is being computed; wait until it is done, then try again."))


def _member_of(assembly: Assembly, member_id: Any, field: str) -> Member:
    try:
        return Member.objects.select_related("user").get(assembly=assembly, pk=int(member_id))
    except (TypeError, ValueError, Member.DoesNotExist):
        raise ValidationError(_("%(field)s: choose a member of this assembly.") % {"field": field}) from None


def _table_of(plan: TablePlan, number: Any, field: str = "") -> PlanTable:
    try:
        return plan.tables.get(number=int(number))
    except (TypeError, ValueError, PlanTable.DoesNotExist):
        raise ValidationError(
            _("%(field)s: choose a table from 1 to %(n)s.")
            % {"field": field or _("Table"), "n": plan.table_count}
        ) from None


def _round_of(plan: TablePlan, value: Any, *, required: bool = True) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= plan.rounds:
        raise ValidationError(_("Round: choose a round from 1 to %(n)s.") % {"n": plan.rounds})
    return number


def _clear_seats(plan: TablePlan) -> None:
    """A change to the room makes the computed seating stale: back to a draft."""
    if plan.status in (PlanStatus.READY, PlanStatus.FAILED):
        plan.seats.all().delete()
        plan.status = PlanStatus.DRAFT
        plan.held_rounds = 0
        plan.repeated_pairs = plan.out_of_band = plan.met_mean = None
        plan.save(
            update_fields=["status", "held_rounds", "repeated_pairs", "out_of_band", "met_mean", "updated_at"]
        )


def _sync_tables(plan: TablePlan) -> None:
    existing = set(plan.tables.values_list("number", flat=True))
    PlanTable.objects.bulk_create(
        [PlanTable(plan=plan, number=n) for n in range(1, plan.table_count + 1) if n not in existing]
    )
    plan.tables.filter(number__gt=plan.table_count).delete()


# --- a plan and its settings -----------------------------------------------------------
def _validate_settings(
    assembly: Assembly, rounds: Any, table_count: Any, mix: Sequence[str], seed: Any
) -> tuple[int, int, list[str], int]:
    errors: dict[str, str] = {}
    try:
        rounds = int(rounds)
        if not 1 <= rounds <= MAX_ROUNDS:
            raise ValueError
    except (TypeError, ValueError):
        errors["rounds"] = _("Rounds: give a whole number from 1 to %(n)s.") % {"n": MAX_ROUNDS}
    try:
        table_count = int(table_count)
        if not 1 <= table_count <= MAX_TABLES:
            raise ValueError
    except (TypeError, ValueError):
        errors["table_count"] = _("Number of tables: give a whole number from 1 to %(n)s.") % {
            "n": MAX_TABLES
        }
    try:
        seed = int(seed if seed not in (None, "") else 1)
        if seed < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["seed"] = _("Seed: give a whole number, 0 or more.")
    known = {key for key, _label in selectors.attribute_choices(assembly)}
    unknown = [key for key in mix if key not in known]
    if unknown:
        errors["mix"] = _("Attributes to mix: %(keys)s is not an attribute of this assembly.") % {
            "keys": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    return rounds, table_count, list(dict.fromkeys(mix)), seed


@transaction.atomic
def table_plan_create(
    *,
    session: Session,
    rounds: Any = 3,
    table_count: Any = 4,
    mix: Sequence[str] = (),
    seed: Any = 1,
    by: Actor,
) -> TablePlan:
    """The session's table plan (one per session); its tables are numbered 1..n."""
    assembly = _check_manage(session.assembly, by)
    if TablePlan.objects.filter(session=session).exists():
        raise ValidationError(_("This session has a table plan already."))
    rounds, table_count, mix, seed = _validate_settings(assembly, rounds, table_count, mix, seed)
    plan = TablePlan.objects.create(
        session=session, rounds=rounds, table_count=table_count, mix=mix, seed=seed
    )
    _sync_tables(plan)
    audit_record(
        action="deliberation.table_plan_created",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"session": session.pk, "rounds": rounds, "tables": table_count, "mix": mix},
    )
    return plan


@transaction.atomic
def table_plan_update(
    *, plan: TablePlan, rounds: Any, table_count: Any, mix: Sequence[str], seed: Any, by: Actor
) -> TablePlan:
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    rounds, table_count, mix, seed = _validate_settings(assembly, rounds, table_count, mix, seed)
    changed = (rounds, table_count, mix, seed) != (plan.rounds, plan.table_count, plan.mix, plan.seed)
    if not changed:
        return plan
    plan.rounds, plan.table_count, plan.mix, plan.seed = rounds, table_count, mix, seed
    plan.save(update_fields=["rounds", "table_count", "mix", "seed", "updated_at"])
    _sync_tables(plan)
    plan.pins.filter(round__gt=rounds).delete()
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_plan_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"rounds": rounds, "tables": table_count, "mix": mix, "seed": seed},
    )
    return plan


@transaction.atomic
def table_update(
    *, plan: TablePlan, number: Any, name: str, facilitator_id: Any, step_free: bool, language: str, by: Actor
) -> PlanTable:
    """A table's name, facilitator, step-free access and interpreted language."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    table = _table_of(plan, number)
    label = _("Table %(number)s") % {"number": table.number}
    facilitator = None
    if facilitator_id not in (None, ""):
        candidates = {str(u.pk): u for u in selectors.facilitator_candidates(assembly)}
        facilitator = candidates.get(str(facilitator_id))
        if facilitator is None:
            raise ValidationError(
                _("%(table)s: the facilitator must be a team member who facilitates in this assembly.")
                % {"table": label}
            )
    name, language = (name or "").strip()[:80], (language or "").strip()[:80]
    access_changed = (bool(step_free), language.casefold()) != (table.step_free, table.language.casefold())
    table.name, table.facilitator, table.step_free, table.language = (
        name,
        facilitator,
        bool(step_free),
        language,
    )
    table.save()
    if access_changed:
        _clear_seats(plan)
    audit_record(
        action="deliberation.table_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={
            "table": table.number,
            "facilitator": getattr(facilitator, "pk", None),
            "step_free": table.step_free,
        },
    )
    return table


@transaction.atomic
def pin_add(*, plan: TablePlan, member_id: Any, table_number: Any, round: Any = None, by: Actor) -> TablePin:
    """Seat a member only at one table: every round, or one round."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    member = _member_of(assembly, member_id, _("Member"))
    table = _table_of(plan, table_number)
    round_number = _round_of(plan, round, required=False)
    pin = TablePin.objects.create(plan=plan, member=member, table=table, round=round_number)
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_pin_added",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"member": member.pk, "table": table.number, "round": round_number},
    )
    return pin


@transaction.atomic
def apart_add(*, plan: TablePlan, member_a: Any, member_b: Any, by: Actor) -> KeptApart:
    """Two members who must never share a table."""
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    a = _member_of(assembly, member_a, _("First member"))
    b = _member_of(assembly, member_b, _("Second member"))
    if a.pk == b.pk:
        raise ValidationError(_("Second member: choose someone other than the first member."))
    a, b = sorted((a, b), key=lambda m: m.pk)
    pair, created = KeptApart.objects.get_or_create(plan=plan, member_a=a, member_b=b)
    if created:
        _clear_seats(plan)
        audit_record(
            action="deliberation.table_apart_added",
            by=by,
            assembly=assembly,
            obj=plan,
            data={"pair": [a.pk, b.pk]},
        )
    return pair


@transaction.atomic
def rule_remove(*, plan: TablePlan, pin_id: Any = None, apart_id: Any = None, by: Actor) -> None:
    assembly = _check_manage(plan, by)
    _check_not_computing(plan)
    removed = 0
    if pin_id not in (None, ""):
        removed, _rows = plan.pins.filter(pk=_int(pin_id)).delete()
    elif apart_id not in (None, ""):
        removed, _rows = plan.apart.filter(pk=_int(apart_id)).delete()
    if not removed:
        raise ValidationError(_("That rule was removed already."))
    _clear_seats(plan)
    audit_record(
        action="deliberation.table_rule_removed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"pin": pin_id, "apart": apart_id},
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


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
    from .tasks import compute_table_plan

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


# --- adjusting by hand -------------------------------------------------------------------------
def _allowed_tables(plan: TablePlan, member_id: int, round_number: int) -> set[int] | None:
    """The tables a member may sit at in a round, by pins and access needs (None: any)."""
    allowed: set[int] | None = None
    for pin in plan.pins.filter(member_id=member_id).select_related("table"):
        if pin.round in (None, round_number):
            allowed = {pin.table.number} if allowed is None else allowed & {pin.table.number}
    for need in selectors.access_rules(plan, list(plan.tables.all()), [member_id]):
        allowed = set(need.tables) if allowed is None else allowed & set(need.tables)
    return allowed


@transaction.atomic
def table_plan_swap(*, plan: TablePlan, round: Any, member_a: Any, member_b: Any, by: Actor) -> TablePlan:
    """Swap two members' tables in one round; the figures are computed again."""
    assembly = _check_manage(plan, by)
    plan = TablePlan.objects.select_for_update().select_related("session__assembly").get(pk=plan.pk)
    _check_not_computing(plan)
    if plan.status != PlanStatus.READY:
        raise ValidationError(_("Compute the plan first."))
    round_number = _round_of(plan, round)
    assert round_number is not None
    seats = {
        s.member_id: s
        for s in plan.seats.filter(
            round=round_number, member_id__in=[_int(member_a), _int(member_b)]
        ).select_related("table", "member__user")
    }
    a, b = seats.get(_int(member_a)), seats.get(_int(member_b))
    if a is None or b is None:
        raise ValidationError(_("Choose two members seated in round %(round)s.") % {"round": round_number})
    if a.table_id == b.table_id:
        raise ValidationError(_("These two members sit at the same table already."))
    for seat, other in ((a, b), (b, a)):
        allowed = _allowed_tables(plan, seat.member_id, round_number)
        if allowed is not None and other.table.number not in allowed:
            raise ValidationError(
                _("%(name)s may not sit at table %(table)s (a seat rule or an access need).")
                % {"name": selectors.member_label(seat.member), "table": other.table.number}
            )
    for seat, other in ((a, b), (b, a)):
        neighbours = set(
            plan.seats.filter(round=round_number, table=other.table)
            .exclude(member_id=other.member_id)
            .values_list("member_id", flat=True)
        )
        for pair in plan.apart.filter(member_a_id=seat.member_id) | plan.apart.filter(
            member_b_id=seat.member_id
        ):
            partner = pair.member_b_id if pair.member_a_id == seat.member_id else pair.member_a_id
            if partner in neighbours:
                raise ValidationError(
                    _("%(name)s is kept apart from someone at table %(table)s.")
                    % {"name": selectors.member_label(seat.member), "table": other.table.number}
                )
    a.table, b.table = b.table, a.table
    Seat.objects.bulk_update([a, b], ["table"])
    _set_figures(plan, selectors.explain_plan(plan))
    plan.save(update_fields=["repeated_pairs", "out_of_band", "met_mean", "updated_at"])
    audit_record(
        action="deliberation.table_plan_swapped",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"round": round_number, "members": [a.member_id, b.member_id]},
    )
    return plan


# --- organisers' own attributes -------------------------------------------------------------
@transaction.atomic
def member_attributes_set(*, assembly: Assembly, name: str, values: dict[int, str], by: Actor) -> int:
    """Set (or clear, with an empty value) one attribute for several members; returns the count set."""
    _check_manage(assembly, by)
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not record members' attributes."))
    from django.utils.text import slugify

    key = slugify(name or "")[:60]
    if not key:
        raise ValidationError({"name": _("Attribute: give it a short name, e.g. attitude.")})
    members = set(Member.objects.filter(assembly=assembly, pk__in=list(values)).values_list("pk", flat=True))
    count = 0
    for member_id, value in values.items():
        if member_id not in members:
            continue
        value = (value or "").strip()[:80]
        if value:
            MemberAttribute.objects.update_or_create(member_id=member_id, name=key, defaults={"value": value})
            count += 1
        else:
            MemberAttribute.objects.filter(member_id=member_id, name=key).delete()
    audit_record(
        action="deliberation.member_attribute_set",
        by=by,
        assembly=assembly,
        data={"attribute": key, "members": count},
    )
    return count


# --- table outputs -------------------------------------------------------------------------
@transaction.atomic
def table_output_save(
    *, table: PlanTable, round: Any, key_points: str, questions: str, proposals: str, by: Actor
) -> TableOutput:
    """What the table said in a round, by its facilitator (or an organiser)."""
    plan = table.plan
    assembly = _assembly(plan)
    authorise(by, FACILITATE, assembly, _("You may not record table outputs in this assembly."))
    if (
        by is not SYSTEM
        and table.facilitator_id != getattr(by, "pk", None)
        and not by.has_perm(MANAGE_PROGRAMME, assembly)  # type: ignore[union-attr]
    ):
        raise ValidationError(_("Only this table's facilitator records its output."))
    round_number = _round_of(plan, round)
    fields = {"key_points": key_points, "questions": questions, "proposals": proposals}
    if not any((v or "").strip() for v in fields.values()):
        raise ValidationError({"key_points": _("Key points: write at least one thing the table said.")})
    output, created = TableOutput.objects.update_or_create(
        plan=plan,
        round=round_number,
        table=table,
        defaults={**{k: (v or "").strip() for k, v in fields.items()}, "recorded_by": acting_user(by)},
    )
    audit_record(
        action="deliberation.table_output_recorded" if created else "deliberation.table_output_changed",
        by=by,
        assembly=assembly,
        obj=plan,
        data={"table": table.number, "round": round_number},
    )
    return output


# --- plenary minutes -----------------------------------------------------------------------
@transaction.atomic
def minutes_save(*, session: Session, text: str, by: Actor) -> PlenaryMinutes:
    assembly = _check_manage(session.assembly, by)
    minutes, _created = PlenaryMinutes.objects.select_for_update().get_or_create(session=session)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are approved; they can no longer be changed."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Minutes: write the minutes first.")})
    minutes.text = text
    minutes.updated_by = acting_user(by)  # type: ignore[assignment]  # AUTH_USER_MODEL, typed as its base
    minutes.save()
    audit_record(
        action="deliberation.minutes_saved",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"status": minutes.status},
    )
    return minutes


@transaction.atomic
def minutes_circulate(*, session: Session, by: Actor) -> PlenaryMinutes:
    """Send the minutes to members for approval (responses to an earlier text are cleared)."""
    assembly = _check_manage(session.assembly, by)
    minutes = PlenaryMinutes.objects.select_for_update().filter(session=session).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Write the minutes before sending them to members."))
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are approved already."))
    if minutes.status == MinutesStatus.CIRCULATED:
        minutes.responses.all().delete()  # a revised text: members answer again
    minutes.status, minutes.circulated_at = MinutesStatus.CIRCULATED, timezone.now()
    minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    sent = _email_minutes(minutes)
    audit_record(
        action="deliberation.minutes_circulated",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"emailed": sent},
    )
    return minutes


def _email_minutes(minutes: PlenaryMinutes) -> int:
    """Tell each member, in their language, that the minutes wait for their answer."""
    from django.urls import reverse
    from django.utils import translation

    from assemblies.translations import translated
    from deliberation.sessions.services import member_language
    from notifications.services import queue_email

    session = minutes.session
    assembly = session.assembly
    url = settings.SITE_URL + reverse("portal:deliberation_minutes_detail", args=[assembly.slug, minutes.pk])
    sent = 0
    for member in selectors.seated_members(assembly).select_related("respondent", "assembly"):
        if not member.user.email:
            continue
        language = member_language(member)
        with translation.override(language):
            context = {
                "assembly_title": assembly.title_in(language),
                "session_title": translated(session.title, session.title_translations, language),
                "url": url,
            }
        queue_email(
            to=member.user.email,
            template="minutes_circulated",
            context=context,
            language=language,
            assembly=assembly,
            user=member.user,
        )
        sent += 1
    return sent


@transaction.atomic
def minutes_approve(*, session: Session, by: Actor) -> PlenaryMinutes:
    """Mark the minutes approved (organisers decide once members have answered)."""
    assembly = _check_manage(session.assembly, by)
    minutes = PlenaryMinutes.objects.select_for_update().filter(session=session).first()
    if minutes is None or minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Send the minutes to members before approving them."))
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, timezone.now()
    minutes.save(update_fields=["status", "approved_at", "updated_at"])
    tally = selectors.minutes_tally(minutes)
    audit_record(
        action="deliberation.minutes_approved",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"approve": tally.approve, "correct": tally.correct},
    )
    return minutes


@transaction.atomic
def minutes_respond(
    *, minutes: PlenaryMinutes, member: Member, decision: str, correction: str = "", by: Actor
) -> MinutesResponse:
    """A member approves the circulated minutes or asks for a correction (one answer each, changeable)."""
    assembly = minutes.session.assembly
    if member.assembly_id != assembly.pk or (by is not SYSTEM and member.user_id != getattr(by, "pk", None)):
        raise ValidationError(_("You can only answer for yourself."))
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("These minutes are not open for answers."))
    if decision not in MinutesDecision.values:
        raise ValidationError({"decision": _("Your answer: choose approve or ask for a correction.")})
    correction = (correction or "").strip()
    if decision == MinutesDecision.CORRECT and not correction:
        raise ValidationError({"correction": _("The correction: say what should change.")})
    response, _created = MinutesResponse.objects.update_or_create(
        minutes=minutes,
        member=member,
        defaults={
            "decision": decision,
            "correction": correction if decision == MinutesDecision.CORRECT else "",
        },
    )
    audit_record(
        action="deliberation.minutes_answered",
        by=by,
        assembly=assembly,
        obj=minutes,
        data={"decision": decision},
    )
    return response
