"""Reads for announcements and concerns: who an announcement reaches, in
which language, and the lists organisers and members see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from assemblies.models import Assembly, Member
from assemblies.translations import translated

from ..models import (
    Announcement,
    AnnouncementRecipient,
    AssemblyCare,
    Audience,
    Concern,
    ConcernStatus,
    Session,
)
from ..selectors import taking_part
from . import audiences


def assembly_languages(assembly: Assembly) -> list[str]:
    return [code for code in (assembly.languages or []) if isinstance(code, str) and code] or ["en"]


def member_language(member: Member, languages: list[str]) -> str:
    """The member's language if the assembly works in it (what they chose at
    registration), else the assembly's first language."""
    respondent = getattr(member, "respondent", None) if _has_respondent(member) else None
    chosen = (getattr(respondent, "language", "") or "").lower()
    for code in (chosen, chosen.split("-")[0]):
        if code in languages:
            return code
    return languages[0]


def _has_respondent(member: Member) -> bool:
    try:
        return member.respondent is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def audience_members(
    assembly: Assembly,
    *,
    audience: str,
    session: Session | None = None,
    table: Any = None,
    group_key: str | None = None,
    group_id: int | None = None,
) -> QuerySet[Member]:
    """The active members (not facilitators) an announcement to ``audience`` reaches.

    A session's members are all active members (every member is invited to
    every session); a table's are the members seated at it in its plan; a
    group's (``Audience.GROUP``) are those its kind (``audiences``) lists, and
    nobody when the group is not one of this assembly's."""
    members = taking_part(assembly).select_related("user", "respondent").order_by("display_name", "id")
    if audience == Audience.TABLE:
        ids = table_member_ids(table)
        return members.filter(pk__in=ids)
    if audience == Audience.GROUP:
        extra = audiences.get(group_key)
        if extra is None or group_id is None or audiences.group_name(assembly, group_key, group_id) is None:
            return members.none()
        return members.filter(pk__in=extra.members(assembly, group_id).values("pk"))
    return members


def table_member_ids(table: Any) -> list[int]:
    """The members seated at ``table`` (the tables part's ``PlanTable``) in
    its first round: the people who sit together when the day starts."""
    if table is None:
        return []
    try:
        seat = apps.get_model("deliberation", "Seat")
    except LookupError:
        return []
    seats = seat._default_manager.filter(table=table)
    first = seats.order_by("round").values_list("round", flat=True).first()
    return list(seats.filter(round=first).values_list("member_id", flat=True)) if first is not None else []


def table_model() -> Any:
    """The tables part's table model, when it exists."""
    try:
        return apps.get_model("deliberation", "PlanTable")
    except LookupError:
        return None


def tables_of(assembly: Assembly) -> list[tuple[int, str]]:
    """(id, label) of the tables of the assembly's table plans, for the audience choice."""
    model = table_model()
    if model is None:
        return []
    rows = (
        model._default_manager.filter(plan__session__assembly=assembly)
        .select_related("plan__session")
        .order_by("plan__session__starts_at", "number")
    )
    return [(row.pk, table_label(row)) for row in rows[:500]]


def table_label(table: Any) -> str:
    """ "Weekend 2 · Table 3": the session and the table."""
    session = getattr(getattr(table, "plan", None), "session", None)
    return f"{session.title} · {table}" if session is not None else str(table)


def table_of(assembly: Assembly, table_id: int | None) -> Any:
    model = table_model()
    if table_id is None or model is None:
        return None
    return (
        model._default_manager.filter(plan__session__assembly=assembly, pk=table_id)
        .select_related("plan__session")
        .first()
    )


@dataclass(frozen=True)
class Reach:
    emails: int
    letters: int

    @property
    def total(self) -> int:
        return self.emails + self.letters


def reach(members: QuerySet[Member]) -> Reach:
    emails = members.exclude(user__email="").count()
    return Reach(emails=emails, letters=members.count() - emails)


# --- lists ---------------------------------------------------------------------------
def announcements_of(assembly: Assembly) -> QuerySet[Announcement]:
    return Announcement.objects.filter(assembly=assembly).select_related("session", "sent_by")


def announcements_for(member: Member) -> list[Announcement]:
    return list(
        Announcement.objects.filter(recipients__member=member)
        .select_related("session")
        .order_by("-sent_at", "-id")
    )


def letter_recipients(announcement: Announcement) -> QuerySet[AnnouncementRecipient]:
    return (
        AnnouncementRecipient.objects.filter(announcement=announcement, delivery="letter")
        .select_related("member__user", "member__respondent")
        .order_by("member__display_name", "member_id")
    )


def concerns_of(assembly: Assembly, status: str | None = None) -> QuerySet[Concern]:
    concerns = Concern.objects.filter(assembly=assembly).select_related("member", "handled_by")
    if status in ConcernStatus.values:
        concerns = concerns.filter(status=status)
    return concerns


def concerns_of_member(member: Member) -> list[Concern]:
    return list(Concern.objects.filter(member=member).order_by("-raised_at", "-id"))


def care_of(assembly: Assembly) -> AssemblyCare:
    """The assembly's code of conduct and contacts (an unsaved empty one when none yet)."""
    return AssemblyCare.objects.filter(assembly=assembly).first() or AssemblyCare(assembly=assembly)


def code_of_conduct(assembly: Assembly, language: str | None = None) -> str:
    care = care_of(assembly)
    return translated(care.code_of_conduct, care.code_of_conduct_translations, language)
