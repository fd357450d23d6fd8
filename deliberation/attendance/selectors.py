"""Reads of attendance and stipends that cross models: who takes part in a
session, who was there, who missed sessions, who needs what, what is owed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from assemblies.models import Assembly, Member
from deliberation.models import (
    AccessNeed,
    Attendance,
    AttendanceStatus,
    Expense,
    Participant,
    Session,
    SessionStatus,
)

from ..selectors import taking_part as taking_part_of

#: Missed sessions (absent, not excused, of held sessions) that flag a member.
MISSED_SESSIONS_FLAG = 2
#: The needs a facilitator at the door sees (arrival and the room), never
#: diet, childcare or the free-text notes.
NEEDS_AT_THE_DOOR = (AccessNeed.STEP_FREE, AccessNeed.HEARING_LOOP, AccessNeed.INTERPRETER)


def taking_part(assembly: Assembly) -> QuerySet[Member]:
    """The members whose attendance is recorded (``deliberation.selectors.taking_part``)."""
    return taking_part_of(assembly)


@dataclass
class AttendanceRow:
    member: Member
    participant: Participant | None
    attendance: Attendance | None
    door_needs: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


def session_rows(session: Session) -> list[AttendanceRow]:
    """Each member taking part, with their participant record and their
    attendance at ``session`` (three queries whatever the size)."""
    members = list(taking_part(session.assembly))
    participants = {p.member_id: p for p in Participant.objects.filter(member__in=members)}
    attendance = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    labels = dict(AccessNeed.choices)
    rows = []
    for member in members:
        participant = participants.get(member.pk)
        needs = participant.access_needs if participant else []
        door = [str(labels[n]) for n in NEEDS_AT_THE_DOOR if n in needs]
        if participant and AccessNeed.INTERPRETER in needs and participant.interpreter_language:
            door = [
                f"{d} ({participant.interpreter_language})" if d == labels[AccessNeed.INTERPRETER] else d
                for d in door
            ]
        rows.append(AttendanceRow(member, participant, attendance.get(member.pk), door))
    return rows


def session_counts(session: Session) -> dict[str, int]:
    counts = Counter(Attendance.objects.filter(session=session).values_list("status", flat=True))
    expected = taking_part(session.assembly).count()
    recorded = sum(counts.values())
    return {
        "expected": expected,
        "present": counts[AttendanceStatus.PRESENT],
        "absent": counts[AttendanceStatus.ABSENT],
        "excused": counts[AttendanceStatus.EXCUSED],
        "not_recorded": max(expected - recorded, 0),
    }


def sessions_with_counts(assembly: Assembly) -> QuerySet[Session]:
    return (
        Session.objects.filter(assembly=assembly)
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            absent=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ABSENT)),
            excused=Count("attendance", filter=Q(attendance__status=AttendanceStatus.EXCUSED)),
        )
        .order_by("starts_at", "id")
    )


def missed_sessions(assembly: Assembly) -> dict[int, int]:
    """Member id → sessions missed (absent, not excused, of held sessions)."""
    rows = (
        Attendance.objects.filter(
            session__assembly=assembly,
            session__status=SessionStatus.HELD,
            status=AttendanceStatus.ABSENT,
            member__in=taking_part(assembly),
        )
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {r["member_id"]: r["n"] for r in rows}


def flagged_members(assembly: Assembly) -> list[tuple[Member, int]]:
    """Members who missed at least ``MISSED_SESSIONS_FLAG`` sessions, most first."""
    missed = {pk: n for pk, n in missed_sessions(assembly).items() if n >= MISSED_SESSIONS_FLAG}
    members = Member.objects.filter(pk__in=missed).select_related("assembly")
    return sorted(((m, missed[m.pk]) for m in members), key=lambda pair: (-pair[1], str(pair[0])))


@dataclass
class Logistics:
    counts: list[tuple[str, Any, int]]  # (need, label, how many)
    people: list[tuple[Member, Participant]]  # those with any need
    interpreter_languages: Counter[str]


def logistics(assembly: Assembly) -> Logistics:
    """Who needs what among those taking part (counts for all; the list of
    people is for those who may see personal data)."""
    members = list(taking_part(assembly))
    participants = Participant.objects.filter(member__in=members).select_related("member")
    counts: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    people = []
    for participant in participants:
        for need in participant.access_needs:
            counts[need] += 1
        if AccessNeed.INTERPRETER in participant.access_needs and participant.interpreter_language:
            languages[participant.interpreter_language.strip()] += 1
        if participant.access_needs or participant.access_notes:
            people.append((participant.member, participant))
    people.sort(key=lambda pair: str(pair[0]))
    return Logistics([(need, label, counts[need]) for need, label in AccessNeed.choices], people, languages)


def expenses(assembly: Assembly, *, status: str = "") -> QuerySet[Expense]:
    queryset = Expense.objects.filter(assembly=assembly).select_related("member", "session")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def expense_totals(assembly: Assembly) -> dict[str, Any]:
    from django.db.models import Sum

    rows = (
        Expense.objects.filter(assembly=assembly)
        .values("status")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    return {r["status"]: (r["n"], r["total"]) for r in rows}
