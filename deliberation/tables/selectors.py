"""Reads of table plans that cross models: who is seated, what they are mixed
by (demographic answers are special-category data: only what the plan
needs), the plan round by round, members' and facilitators' tables, outputs
and minutes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from assemblies.models import Assembly, Member, TeamMembership
from deliberation.engine.explain import explain
from deliberation.engine.model import Explanation
from deliberation.models import (
    AccessNeed,
    KeptApart,
    MemberAttribute,
    MinutesDecision,
    Participant,
    PlanStatus,
    PlanTable,
    PlenaryMinutes,
    Seat,
    Session,
    TableOutput,
    TablePin,
    TablePlan,
)
from deliberation.rules import FACILITATE
from lottery.models import Answer, Category

from ..selectors import taking_part

#: The value of an attribute a member has no answer for (grouped like any value).
NOT_GIVEN = "—"


def default_seed(session: Session) -> int:
    """The session's place in the assembly's programme (1 for the first): with
    one seed for every session, each weekend's plan seated everyone at the same
    tables as the last, with the same people."""
    earlier = Session.objects.filter(assembly_id=session.assembly_id, starts_at__lt=session.starts_at)
    return earlier.count() + 1


def seated_members(assembly: Assembly) -> QuerySet[Member]:
    """The members the plan seats: in the member role, not withdrawn."""
    return taking_part(assembly).select_related("user")


def member_label(member: Member) -> str:
    return member.display_name or member.user.get_full_name() or member.user.get_username()


def attribute_choices(assembly: Assembly) -> list[tuple[str, str]]:
    """(key, label): the selection's categories, then the organisers' own attributes."""
    choices = [(c.name, str(c)) for c in Category.objects.filter(assembly=assembly)]
    known = {key for key, _label in choices}
    extra = (
        MemberAttribute.objects.filter(member__assembly=assembly)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )
    choices += [(name, name) for name in extra if name not in known]
    return choices


def attributes_of(
    assembly: Assembly, member_ids: Iterable[int], keys: Sequence[str]
) -> dict[int, dict[str, str]]:
    """Each member's value for each of ``keys``: demographic answers (through the
    member's respondent), then the organisers' attributes; NOT_GIVEN if none."""
    ids = list(member_ids)
    values: dict[int, dict[str, str]] = {pk: dict.fromkeys(keys, NOT_GIVEN) for pk in ids}
    if not keys or not ids:
        return values
    answers = Answer.objects.filter(
        assembly=assembly, respondent__member_id__in=ids, category__name__in=keys
    ).values_list("respondent__member_id", "category__name", "feature__value")
    for member_id, key, value in answers:
        values[member_id][key] = value
    categories = {key for _m, key, _v in answers}
    own = MemberAttribute.objects.filter(member_id__in=ids, name__in=keys).values_list(
        "member_id", "name", "value"
    )
    for member_id, key, value in own:
        if key not in categories or values[member_id][key] == NOT_GIVEN:
            values[member_id][key] = value
    return values


def facilitator_candidates(assembly: Assembly) -> list[Any]:
    """Team members who may facilitate in ``assembly`` (by permission, not role)."""
    user_ids = TeamMembership.objects.filter(
        Q(assembly=assembly) | Q(assembly__isnull=True, team__organisation_id=assembly.organisation_id)
    ).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("first_name", "email")
    return [user for user in users if user.has_perm(FACILITATE, assembly)]


def user_label(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class AccessRule:
    member_id: int
    need: str  # "step_free" or "interpreter"
    tables: frozenset[int]  # allowed table numbers
    language: str = ""


def access_rules(plan: TablePlan, tables: Sequence[PlanTable], member_ids: Iterable[int]) -> list[AccessRule]:
    """Members' step-free and interpreter needs as the tables that meet them."""
    step_free = frozenset(t.number for t in tables if t.step_free)
    rules: list[AccessRule] = []
    participants = Participant.objects.filter(member_id__in=list(member_ids)).values_list(
        "member_id", "access_needs", "interpreter_language"
    )
    for member_id, needs, language in participants:
        needs = needs or []
        if AccessNeed.STEP_FREE in needs:
            rules.append(AccessRule(member_id, AccessNeed.STEP_FREE, step_free))
        if AccessNeed.INTERPRETER in needs and language.strip():
            wanted = language.strip().casefold()
            allowed = frozenset(t.number for t in tables if t.language.strip().casefold() == wanted)
            rules.append(AccessRule(member_id, AccessNeed.INTERPRETER, allowed, language.strip()))
    return rules


def access_summary(plan: TablePlan, tables: Sequence[PlanTable]) -> list[tuple[str, str, int, int]]:
    """(need, language, members who have it, tables that meet it): counts only,
    so that the page says what the plan needs without naming anyone."""
    ids = seated_members(plan.session.assembly).values_list("pk", flat=True)
    counts: Counter[tuple[str, str, int]] = Counter(
        (rule.need, rule.language, len(rule.tables)) for rule in access_rules(plan, tables, ids)
    )
    return sorted((need, language, n, fits) for (need, language, fits), n in counts.items())


def plan_rounds(plan: TablePlan) -> list[list[list[int]]]:
    """rounds[r][t]: the member ids at table t+1 in round r+1 (from the seats)."""
    rounds: list[list[list[int]]] = [[[] for _t in range(plan.table_count)] for _r in range(plan.rounds)]
    for round_number, table_number, member_id in Seat.objects.filter(plan=plan).values_list(
        "round", "table__number", "member_id"
    ):
        if 1 <= round_number <= plan.rounds and 1 <= table_number <= plan.table_count:
            rounds[round_number - 1][table_number - 1].append(member_id)
    return rounds


def explain_plan(plan: TablePlan, rounds: list[list[list[int]]] | None = None) -> Explanation:
    """The engine's figures for the stored plan (so they always match it)."""
    rounds = plan_rounds(plan) if rounds is None else rounds
    ids = {m for tables in rounds for table in tables for m in table}
    values = attributes_of(plan.session.assembly, ids, plan.mix)
    as_ids = [[[str(m) for m in table] for table in tables] for tables in rounds]
    return explain(as_ids, {str(pk): v for pk, v in values.items()}, plan.mix)


# --- the organisers' view of a plan ------------------------------------------------
@dataclass
class TableView:
    table: PlanTable
    members: list[Member]
    counts: list[tuple[str, list[tuple[str, int]]]]  # (attribute label, [(value, count)])
    people: list[tuple[Member, list[str]]] = field(default_factory=list)  # with their values
    out_of_band: list[Any] = field(default_factory=list)
    output: TableOutput | None = None


@dataclass
class RoundView:
    number: int
    tables: list[TableView]
    held: bool


@dataclass
class PlanView:
    plan: TablePlan
    tables: list[PlanTable]
    rounds: list[RoundView]
    explanation: Explanation | None
    repeats: list[tuple[str, str, int]]
    members: dict[int, Member]
    values: dict[int, dict[str, str]]
    labels: dict[str, str]


def plan_view(plan: TablePlan) -> PlanView:
    """Everything the plan page shows, in a fixed number of queries."""
    assembly = plan.session.assembly
    tables = list(plan.tables.select_related("facilitator"))
    rounds = plan_rounds(plan)
    ids = {m for tables_ in rounds for table in tables_ for m in table}
    members = {m.pk: m for m in Member.objects.filter(pk__in=ids).select_related("user")}
    values = attributes_of(assembly, ids, plan.mix)
    labels = dict(attribute_choices(assembly))
    outputs = {(o.round, o.table_id): o for o in TableOutput.objects.filter(plan=plan)}
    explanation = None
    if ids:
        as_ids = [[[str(m) for m in table] for table in tables_] for tables_ in rounds]
        explanation = explain(as_ids, {str(pk): v for pk, v in values.items()}, plan.mix)
    oob: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for cell in explanation.out_of_band_cells if explanation else []:
        oob[(cell.round, cell.table)].append(cell)
    views = []
    for r, tables_ in enumerate(rounds, start=1):
        row = []
        for table, seated in zip(tables, tables_, strict=False):
            people = sorted((members[m] for m in seated if m in members), key=member_label)
            counts = [
                (labels.get(key, key), sorted(Counter(values[m.pk][key] for m in people).items()))
                for key in plan.mix
            ]
            view = TableView(
                table=table,
                members=people,
                counts=counts,
                people=[(m, [values[m.pk][key] for key in plan.mix]) for m in people],
                out_of_band=oob.get((r, table.number), []),
                output=outputs.get((r, table.pk)),
            )
            row.append(view)
        views.append(RoundView(r, row, r <= plan.held_rounds))
    repeats = []
    for repeat in explanation.repeats if explanation else []:
        a, b = members.get(int(repeat.a)), members.get(int(repeat.b))
        if a is not None and b is not None:
            repeats.append((member_label(a), member_label(b), repeat.times))
    return PlanView(plan, tables, views, explanation, repeats, members, values, labels)


def plans_of(assembly: Assembly) -> list[tuple[Session, TablePlan | None]]:
    sessions = Session.objects.filter(assembly=assembly).select_related("table_plan")
    return [(s, getattr(s, "table_plan", None)) for s in sessions]


def pins_of(plan: TablePlan) -> QuerySet[TablePin]:
    return plan.pins.select_related("member__user", "table")


def apart_of(plan: TablePlan) -> QuerySet[KeptApart]:
    return plan.apart.select_related("member_a__user", "member_b__user")


# --- members and facilitators in the portal ---------------------------------------------
@dataclass
class MySession:
    session: Session
    seats: list[tuple[int, PlanTable]]  # (round, table)


def my_tables(assembly: Assembly, member: Member) -> list[MySession]:
    """The member's table in each round of each computed plan of ``assembly``."""
    seats = (
        Seat.objects.filter(member=member, plan__session__assembly=assembly, plan__status=PlanStatus.READY)
        .select_related("plan__session", "table")
        .order_by("plan__session__starts_at", "plan_id", "round")
    )
    result: dict[int, MySession] = {}
    for seat in seats:
        entry = result.setdefault(seat.plan_id, MySession(seat.plan.session, []))
        entry.seats.append((seat.round, seat.table))
    return list(result.values())


def facilitated_tables(assembly: Assembly, user: Any, *, every_table: bool = False) -> QuerySet[PlanTable]:
    """The tables ``user`` facilitates in ``assembly`` (or all of them for organisers)."""
    tables = PlanTable.objects.filter(plan__session__assembly=assembly, plan__status=PlanStatus.READY)
    if not every_table:
        tables = tables.filter(facilitator=user)
    return tables.select_related("plan__session").order_by("plan__session__starts_at", "plan_id", "number")


def table_members(table: PlanTable, round_number: int) -> list[Member]:
    seats = Seat.objects.filter(table=table, round=round_number).select_related("member__user")
    return sorted((s.member for s in seats), key=member_label)


def table_outputs(assembly: Assembly) -> QuerySet[TableOutput]:
    """Every table's recorded output in ``assembly``, session by session, round by
    round (for organisers, and for drafting recommendations)."""
    return (
        TableOutput.objects.filter(plan__session__assembly=assembly)
        .select_related("plan__session", "table", "recorded_by")
        .order_by("plan__session__starts_at", "plan_id", "round", "table__number")
    )


# --- plenary minutes -------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    approve: int
    correct: int
    members: int

    @property
    def waiting(self) -> int:
        return max(self.members - self.approve - self.correct, 0)


def minutes_tally(minutes: PlenaryMinutes) -> Tally:
    counts = minutes.responses.aggregate(
        approve=Count("pk", filter=Q(decision=MinutesDecision.APPROVE)),
        correct=Count("pk", filter=Q(decision=MinutesDecision.CORRECT)),
    )
    members = seated_members(minutes.session.assembly).count()
    return Tally(counts["approve"], counts["correct"], members)


def corrections(minutes: PlenaryMinutes) -> QuerySet[Any]:
    return minutes.responses.filter(decision=MinutesDecision.CORRECT).select_related("member__user")


def attribute_counts_label(counts: list[tuple[str, int]]) -> str:
    return ", ".join(f"{value} {count}" for value, count in counts) or _("nobody")
