"""Reads of the sessions part: an agenda with its times, a member's schedule,
the public programme, and who is told about a session."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assemblies.models import Assembly, Member
from assemblies.translations import translated

from ..models import AgendaItem, Evidence, Session, SessionStatus, Speaker
from ..models.sessions import AgendaKind, EvidenceKind, SessionMode
from ..selectors import at_sessions


@dataclass(frozen=True)
class TimedItem:
    item: AgendaItem
    starts_at: dt.datetime
    ends_at: dt.datetime
    over: bool  # ends after the session does

    # What the agenda shows of the times, in the current time zone, formatted
    # once here: the template filters (``date:"c"``, ``time:"H:i"``) cost a
    # few dozen calls each, four per item.
    @property
    def start_iso(self) -> str:
        return timezone.localtime(self.starts_at).isoformat()

    @property
    def end_iso(self) -> str:
        return timezone.localtime(self.ends_at).isoformat()

    @property
    def start_hm(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%H:%M")

    @property
    def end_hm(self) -> str:
        return timezone.localtime(self.ends_at).strftime("%H:%M")


@dataclass
class Agenda:
    session: Session
    items: list[TimedItem]
    total_minutes: int
    over_minutes: int
    reading: list[Evidence] = field(default_factory=list)


def session_length(session: Session) -> int:
    """The session's length in minutes."""
    return int((session.ends_at - session.starts_at).total_seconds() // 60)


def agenda_timeline(session: Session, items: list[AgendaItem] | None = None) -> list[TimedItem]:
    """Each item's start and end: the session's start plus the items before it."""
    items = items if items is not None else list(session.items.order_by("position", "id"))
    timed, start = [], session.starts_at
    for item in sorted(items, key=lambda i: (i.position, i.pk or 0)):
        end = start + dt.timedelta(minutes=item.minutes)
        timed.append(TimedItem(item, start, end, end > session.ends_at))
        start = end
    return timed


def _label(choices: Any, value: str) -> str:
    """What ``get_<field>_display()`` shows, translating only this label
    (``get_<field>_display`` translates every label of the field to look one up)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def agenda_of(session: Session, *, evidence_attr: str = "evidence") -> Agenda:
    """The agenda of a session whose ``items`` were prefetched (see the querysets
    below), with the labels the templates show (``mode_label``, ``kind_label``)."""
    # Lists read by ``programme_sessions`` (no related manager per item), else the prefetched managers.
    prefetched = session.__dict__.get("item_list")
    items: list[AgendaItem] = prefetched if prefetched is not None else list(session.items.all())
    session.local_title = translated(session.title, session.title_translations)  # type: ignore[attr-defined]
    session.mode_label = _label(SessionMode, session.mode)  # type: ignore[attr-defined]
    reading: list[Evidence] = []
    for item in items:
        item.local_title = translated(item.title, item.title_translations)  # type: ignore[attr-defined]
        item.kind_label = _label(AgendaKind, item.kind)  # type: ignore[attr-defined]
        if "speaker_list" not in item.__dict__:
            item.speaker_list = list(item.speakers.all())  # type: ignore[attr-defined]
        evidence = item.__dict__.get("evidence_list")
        reading += evidence if evidence is not None else getattr(item, evidence_attr).all()
    total = sum(item.minutes for item in items)
    for evidence in reading:
        evidence.kind_label = _label(EvidenceKind, evidence.kind)  # type: ignore[attr-defined]
    return Agenda(
        session, agenda_timeline(session, items), total, max(0, total - session_length(session)), reading
    )


def session_members(assembly: Assembly) -> QuerySet[Member]:
    """Who a session's reminders and changes reach: the assembly's active
    members and facilitators (not reserves, who do not come)."""
    return at_sessions(assembly).select_related("user", "assembly", "respondent").order_by("id")


def _items_with(*, public: bool) -> Prefetch[Any]:
    """The items with their speakers and evidence."""
    speakers = Speaker.objects.filter(is_public=True) if public else Speaker.objects.all()
    evidence = Evidence.objects.filter(is_published=True) if public else Evidence.objects.all()
    return Prefetch(
        "items",
        queryset=AgendaItem.objects.order_by("position", "id")
        .select_related("topic")
        .prefetch_related(
            Prefetch("speakers", queryset=speakers.order_by("name", "id")),
            Prefetch("evidence", queryset=evidence.order_by("created_at", "id")),
        ),
    )


def member_sessions(assembly: Assembly) -> QuerySet[Session]:
    """Every session of the assembly, as its members see them (all evidence)."""
    return Session.objects.filter(assembly=assembly).prefetch_related(_items_with(public=False))


def public_sessions(assembly: Assembly) -> QuerySet[Session]:
    """Public sessions, with speakers named publicly and published evidence only."""
    return Session.objects.public().filter(assembly=assembly).prefetch_related(_items_with(public=True))


def programme_sessions(assembly: Assembly) -> list[Session]:
    """``public_sessions`` for ``agenda_of`` only (the public programme): the
    same rows, read as lists (``item_list``, ``speaker_list``,
    ``evidence_list``) in four queries and grouped here: Django's nested
    prefetches cost 0.7 ms more a page, most of it for speakers and evidence
    that few items have."""
    sessions = list(Session.objects.public().filter(assembly=assembly))
    items = list(
        AgendaItem.objects.filter(session__in=[s.pk for s in sessions])
        .select_related("topic")
        .order_by("position", "id")
    )
    ids = [item.pk for item in items]
    speakers: dict[int, list[Speaker]] = defaultdict(list)
    through = AgendaItem.speakers.through
    for row in (
        through.objects.filter(agendaitem_id__in=ids, speaker__is_public=True)
        .select_related("speaker")
        .order_by("speaker__name", "speaker__id")
    ):
        speakers[row.agendaitem_id].append(row.speaker)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for document in Evidence.objects.filter(item_id__in=ids, is_published=True).order_by("created_at", "id"):
        evidence[document.item_id].append(document)  # type: ignore[index]
    by_session: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in items:
        item.speaker_list = speakers[item.pk]  # type: ignore[attr-defined]
        item.evidence_list = evidence[item.pk]  # type: ignore[attr-defined]
        by_session[item.session_id].append(item)
    for session in sessions:
        session.item_list = by_session[session.pk]  # type: ignore[attr-defined]
    return sessions


def public_sessions_everywhere() -> QuerySet[Session]:
    """Every public session of every public assembly (for the API)."""
    return Session.objects.public().select_related("assembly").prefetch_related(_items_with(public=True))


@dataclass
class Schedule:
    next: Agenda | None
    upcoming: list[Agenda]
    past: list[Agenda]
    cancelled: list[Session]


def member_schedule(assembly: Assembly, *, now: dt.datetime | None = None) -> Schedule:
    now = now or timezone.now()
    upcoming: list[Agenda] = []
    past: list[Agenda] = []
    cancelled: list[Session] = []
    for session in member_sessions(assembly):
        if session.status == SessionStatus.CANCELLED:
            if session.ends_at >= now:
                cancelled.append(session)
        elif session.ends_at >= now:
            upcoming.append(agenda_of(session))
        else:
            past.append(agenda_of(session))
    past.reverse()
    return Schedule(upcoming[0] if upcoming else None, upcoming[1:], past, cancelled)


def next_session(assembly: Assembly, *, now: dt.datetime | None = None) -> Session | None:
    return Session.objects.filter(assembly=assembly).upcoming(now or timezone.now()).first()


def evidence_url(name: str, slug: str, pk: int) -> str:
    """The evidence part's download page, or "" while it does not exist."""
    try:
        return reverse(name, args=[slug, pk])
    except NoReverseMatch:
        return ""
