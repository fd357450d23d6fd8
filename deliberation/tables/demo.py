"""Tables in the demo: a session gets a computed table plan with facilitators
and, once held, what each table said and plenary minutes members answered.
Called by deliberation's demo (``seed_table_plan``); idempotent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assemblies.actors import SYSTEM
from deliberation.models import (
    MemberAttribute,
    MinutesDecision,
    PlanStatus,
    PlenaryMinutes,
    Session,
    TableOutput,
    TablePlan,
)
from deliberation.rules import MANAGE_PROGRAMME
from lottery.models import Answer, Category

from . import selectors, services

ROUNDS = 3
SEATS_PER_TABLE = 6
ATTITUDES = ("keen", "unsure", "sceptical")
TABLE_NAMES = ("Oak", "Ash", "Birch", "Rowan", "Willow", "Hazel", "Elm", "Alder")
OUTPUTS = (
    (
        "Most of us would give up a car trip a week if the buses ran every 15 minutes.",
        "Who pays for better buses in the villages?",
        "Trial a 15-minute bus on two routes before deciding anything else.",
    ),
    (
        "Insulation comes first: it saves money as well as carbon.",
        "Can tenants ask their landlord to insulate?",
        "Grants for insulation that landlords cannot refuse.",
    ),
    (
        "People worry that changes will cost those who can least afford them.",
        "How would a congestion charge treat carers and shift workers?",
        "Any charge should have exemptions decided with the people affected.",
    ),
    (
        "Local food and fewer deliveries came up at every table.",
        "What does the council already do about food waste?",
        "A county food waste collection for every household.",
    ),
)
MINUTES = (
    "Plenary of {title}\n\n"
    "The members heard from the speakers on transport and homes, then discussed at their tables "
    "in {rounds} rounds. Each table reported its key points to the plenary.\n\n"
    "Points most tables shared: frequent buses, insulation grants, fairness for those on low incomes.\n"
    "Questions for the next session: costs of the options, and what the council already does."
)


def _mix(session: Session) -> list[str]:
    """The categories members have answers for; else an attitude organisers recorded."""
    assembly = session.assembly
    members = selectors.seated_members(assembly)
    answered = set(
        Answer.objects.filter(assembly=assembly, respondent__member__in=members)
        .values_list("category__name", flat=True)
        .distinct()
    )
    mix = [c.name for c in Category.objects.filter(assembly=assembly) if c.name in answered][:3]
    if mix:
        return mix
    for index, member in enumerate(members.order_by("pk")):
        MemberAttribute.objects.get_or_create(
            member=member, name="attitude", defaults={"value": ATTITUDES[index % len(ATTITUDES)]}
        )
    return ["attitude"]


def _facilitators(session: Session) -> list[Any]:
    """Who facilitates: team members who only facilitate first, then organisers."""
    candidates = selectors.facilitator_candidates(session.assembly)
    return sorted(candidates, key=lambda u: u.has_perm(MANAGE_PROGRAMME, session.assembly))


@transaction.atomic
def _create(session: Session) -> TablePlan | None:
    members = selectors.seated_members(session.assembly).count()
    tables = max(1, min(len(TABLE_NAMES), members // SEATS_PER_TABLE))
    if members < 2:
        return None
    plan = services.table_plan_create(
        session=session,
        rounds=ROUNDS,
        table_count=tables,
        mix=_mix(session),
        seed=selectors.default_seed(session),
        by=SYSTEM,
    )
    people = _facilitators(session)
    for number in range(1, tables + 1):
        facilitator = people[(number - 1) % len(people)] if people else None
        services.table_update(
            plan=plan,
            number=number,
            name=TABLE_NAMES[number - 1],
            facilitator_id=getattr(facilitator, "pk", ""),
            step_free=number == 1,  # the ground-floor room
            language="",
            by=SYSTEM,
        )
    return plan


def _outputs(plan: TablePlan) -> None:
    if TableOutput.objects.filter(plan=plan).exists():
        return
    for table in plan.tables.select_related("facilitator"):
        for round_number in range(1, plan.rounds + 1):
            key_points, questions, proposals = OUTPUTS[(table.number + round_number) % len(OUTPUTS)]
            services.table_output_save(
                table=table,
                round=round_number,
                key_points=key_points,
                questions=questions,
                proposals=proposals,
                by=table.facilitator or SYSTEM,
            )


def _minutes(plan: TablePlan) -> None:
    session = plan.session
    if PlenaryMinutes.objects.filter(session=session).exists():
        return
    services.minutes_save(
        session=session, text=MINUTES.format(title=session.title, rounds=plan.rounds), by=SYSTEM
    )
    minutes = services.minutes_circulate(session=session, by=SYSTEM)
    for index, member in enumerate(selectors.seated_members(session.assembly).order_by("pk")[:12]):
        if index == 4:
            services.minutes_respond(
                minutes=minutes,
                member=member,
                decision=MinutesDecision.CORRECT,
                correction="Our table also asked about cycle lanes on the ring road.",
                by=SYSTEM,
            )
        else:
            services.minutes_respond(
                minutes=minutes, member=member, decision=MinutesDecision.APPROVE, by=SYSTEM
            )


def seed_table_plan(session: Session, *, held: bool) -> None:
    """Give ``session`` a computed table plan with facilitators; when ``held``,
    each table's output for every round and circulated minutes. Idempotent."""
    plan = TablePlan.objects.filter(session=session).first() or _create(session)
    if plan is None:
        return
    if plan.status != PlanStatus.READY:
        if plan.status == PlanStatus.COMPUTING:  # a load that stopped half-way
            TablePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
            plan.refresh_from_db()
        plan = services.table_plan_compute_now(plan=plan, by=SYSTEM) or plan
    if held and plan.status == PlanStatus.READY:
        with transaction.atomic():
            _outputs(plan)
            _minutes(plan)
