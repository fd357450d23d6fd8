"""Reads of the speakers-and-evidence part: the programme's balance per
topic, the evidence lists (portal and public library) and the questions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from assemblies.models import Assembly, Member
from deliberation.models import (
    AgendaItem,
    Evidence,
    Question,
    QuestionStatus,
    Session,
    SessionStatus,
    Speaker,
    Stance,
    Topic,
)

# --- balance ---------------------------------------------------------------------------
SIDES = (Stance.FOR, Stance.AGAINST)
#: Stances that take a position (informing speakers do not count for the balance).
POSITIONS = (Stance.FOR, Stance.AGAINST, Stance.MIXED)


@dataclass
class Appearance:
    """One speaker on one topic, with every session they speak at (once each,
    however many agenda items of that session they are on)."""

    speaker: Speaker
    sessions: list[tuple[Session, bool]] = field(default_factory=list)

    @property
    def heard(self) -> bool:
        return any(heard for _session, heard in self.sessions)

    @property
    def scheduled(self) -> bool:
        return any(not heard for _session, heard in self.sessions)


@dataclass
class TopicBalance:
    topic: Topic | None
    #: stance -> (heard, scheduled) counts of distinct speakers
    counts: dict[str, list[int]] = field(default_factory=dict)
    appearances: list[Appearance] = field(default_factory=list)
    unscheduled: list[Speaker] = field(default_factory=list)
    warning: str = ""

    @property
    def rows(self) -> list[tuple[str, Any, int, int]]:
        rows = []
        for value, label in Stance.choices:
            heard, scheduled = self.counts.get(value, [0, 0])
            rows.append((value, label, heard, scheduled))
        return rows

    @property
    def name(self) -> str:
        return self.topic.name if self.topic is not None else _("No topic")


def _only_one_side(side: str, topic_name: str, heard: bool, scheduled: bool) -> str:
    if side == Stance.FOR:
        if heard and scheduled:
            text = _("Only speakers in favour are heard or scheduled on %(topic)s.")
        elif heard:
            text = _("Only speakers in favour have been heard on %(topic)s.")
        else:
            text = _("Only speakers in favour are scheduled on %(topic)s.")
    elif heard and scheduled:
        text = _("Only speakers against are heard or scheduled on %(topic)s.")
    elif heard:
        text = _("Only speakers against have been heard on %(topic)s.")
    else:
        text = _("Only speakers against are scheduled on %(topic)s.")
    return text % {"topic": topic_name}


def _missing_side(missing: str, topic_name: str, other_heard: bool) -> str:
    if missing == Stance.AGAINST:
        if other_heard:
            text = _("No speaker against has been heard on %(topic)s, and none is scheduled.")
        else:
            text = _("No speaker against is scheduled on %(topic)s.")
    elif other_heard:
        text = _("No speaker in favour has been heard on %(topic)s, and none is scheduled.")
    else:
        text = _("No speaker in favour is scheduled on %(topic)s.")
    return text % {"topic": topic_name}


def _warning(topic_name: str, appearances: list[Appearance]) -> str:
    """Plain words on what is missing: one side (for or against) heard or
    scheduled and not the other. "Only in favour" only when no other
    position (against, mixed) is heard or scheduled; informing speakers take
    no position and do not count."""
    if not appearances:
        return _("No speaker is heard or scheduled on %(topic)s yet.") % {"topic": topic_name}
    planned = {a.speaker.stance for a in appearances} & set(POSITIONS)
    for side, other in ((Stance.FOR, Stance.AGAINST), (Stance.AGAINST, Stance.FOR)):
        if side not in planned or other in planned:
            continue
        one_side = [a for a in appearances if a.speaker.stance == side]
        heard = any(a.heard for a in one_side)
        if planned == {side}:
            return _only_one_side(side, topic_name, heard, any(a.scheduled for a in one_side))
        return _missing_side(other, topic_name, heard)
    return ""


def balance(assembly: Assembly, *, now: dt.datetime) -> list[TopicBalance]:
    """Per topic, which positions have been heard (the session is over) or are
    scheduled (to come), through the agenda items' speakers, with a warning
    where only one side (for or against) is heard. Each speaker counts once
    per topic and column, however many agenda items they speak at. Three queries."""
    topics = list(Topic.objects.filter(assembly=assembly))
    by_topic: dict[int | None, TopicBalance] = {t.pk: TopicBalance(t) for t in topics}
    links = (
        AgendaItem.speakers.through.objects.filter(agendaitem__session__assembly=assembly)
        .exclude(agendaitem__session__status=SessionStatus.CANCELLED)
        .select_related("speaker", "agendaitem", "agendaitem__session")
        .order_by("agendaitem__session__starts_at", "agendaitem__position", "speaker__name")
    )
    seen: set[int] = set()
    found: dict[tuple[int | None, int], Appearance] = {}
    for link in links:
        speaker, item = link.speaker, link.agendaitem
        session = item.session
        topic_id = speaker.topic_id or item.topic_id
        entry = by_topic.get(topic_id) or by_topic.setdefault(None, TopicBalance(None))
        key = (entry.topic.pk if entry.topic is not None else None, speaker.pk)
        appearance = found.get(key)
        if appearance is None:
            appearance = found[key] = Appearance(speaker)
            entry.appearances.append(appearance)
        heard = session.ends_at < now or session.status == SessionStatus.HELD
        if all(known.pk != session.pk for known, _heard in appearance.sessions):
            appearance.sessions.append((session, heard))
        seen.add(speaker.pk)
    for entry in by_topic.values():
        for appearance in entry.appearances:
            counts = entry.counts.setdefault(appearance.speaker.stance, [0, 0])
            counts[0] += appearance.heard
            counts[1] += appearance.scheduled
    for speaker in Speaker.objects.filter(assembly=assembly).exclude(pk__in=seen):
        entry = by_topic.get(speaker.topic_id) or by_topic.setdefault(None, TopicBalance(None))
        entry.unscheduled.append(speaker)
    result = [by_topic[t.pk] for t in topics]
    if None in by_topic:
        result.append(by_topic[None])
    for entry in result:
        if entry.topic is not None:
            entry.warning = _warning(entry.topic.name, entry.appearances)
    return result


# --- evidence --------------------------------------------------------------------------
def _evidence(assembly: Assembly) -> QuerySet[Evidence]:
    return Evidence.objects.filter(assembly=assembly).select_related(
        "item", "item__session", "speaker", "topic"
    )


@dataclass
class EvidenceGroup:
    session: Session | None
    items: list[tuple[AgendaItem | None, list[Evidence]]]


def group_evidence(rows: list[Evidence]) -> list[EvidenceGroup]:
    """Evidence by session, then agenda item (in the agenda's order); what is
    attached to no agenda item comes last, as further reading."""
    sessions: dict[int | None, dict[int | None, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    session_of: dict[int | None, Session | None] = {None: None}
    item_of: dict[int | None, AgendaItem | None] = {None: None}
    for row in rows:
        item = row.item
        session = item.session if item is not None else None
        sid = session.pk if session is not None else None
        session_of[sid] = session
        item_of[item.pk if item else None] = item
        sessions[sid][item.pk if item else None].append(row)

    def session_key(sid: int | None) -> tuple[int, Any, int]:
        s = session_of[sid]
        return (1, None, 0) if s is None else (0, s.starts_at, s.pk)

    def item_key(iid: int | None) -> tuple[int, int, int]:
        i = item_of[iid]
        return (1, 0, 0) if i is None else (0, i.position, i.pk)

    return [
        EvidenceGroup(
            session_of[sid],
            [(item_of[iid], sessions[sid][iid]) for iid in sorted(sessions[sid], key=item_key)],
        )
        for sid in sorted(sessions, key=session_key)
    ]


def member_evidence(assembly: Assembly) -> list[EvidenceGroup]:
    """Everything members read, watch or hear (published or not). One query."""
    return group_evidence(list(_evidence(assembly).exclude(item__session__status=SessionStatus.CANCELLED)))


def public_evidence(assembly: Assembly) -> list[EvidenceGroup]:
    """The public evidence library: published items only. One query."""
    return group_evidence(list(_evidence(assembly).filter(is_published=True)))


def programme_speakers(assembly: Assembly) -> QuerySet[Speaker]:
    """The speakers members hear (on an agenda item of a session not
    cancelled), with their kind, organisation, declared interests and
    position, for members to weigh what they hear. One query."""
    return (
        Speaker.objects.filter(assembly=assembly, items__session__assembly=assembly)
        .exclude(items__session__status=SessionStatus.CANCELLED)
        .select_related("topic")
        .distinct()
        .order_by("name", "id")
    )


def has_public_evidence(assembly: Assembly) -> bool:
    return Evidence.objects.filter(assembly=assembly, is_published=True).exists()


# --- questions -------------------------------------------------------------------------
def member_questions(member: Member) -> QuerySet[Question]:
    """A member's own questions, newest first, with what became of them (the
    kept question's status when theirs was merged)."""
    return (
        Question.objects.filter(member=member)
        .select_related("session", "speaker", "merged_into")
        .order_by("-created_at", "-id")
    )


def facilitator_queue(session: Session) -> list[Question]:
    """A session's kept questions in their order, each with ``askers`` (the
    members asking it, merged duplicates included) and ``duplicates``. Two
    queries; never who asked."""
    merged = Question.objects.filter(merged_into__isnull=False).only("id", "text", "merged_into_id")
    return list(
        Question.objects.filter(session=session, merged_into__isnull=True)
        .select_related("speaker", "item")
        .annotate(
            askers=Count("merged__member", distinct=True, filter=~Q(merged__member=F("member"))) + 1,
            closed=Case(
                When(status__in=(QuestionStatus.ANSWERED, QuestionStatus.HIDDEN), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .prefetch_related(Prefetch("merged", queryset=merged, to_attr="duplicates"))
        .order_by(
            # Waiting and chosen first, in their order; answered and hidden after.
            "closed",
            "order",
            "created_at",
            "id",
        )
    )


def facilitator_sessions(assembly: Assembly) -> QuerySet[Session]:
    return Session.objects.filter(assembly=assembly).exclude(status=SessionStatus.CANCELLED)


def default_session(assembly: Assembly, now: dt.datetime) -> Session | None:
    """The session under way or the next one; else the last one held."""
    sessions = facilitator_sessions(assembly)
    return (
        sessions.filter(ends_at__gte=now).order_by("starts_at").first()
        or sessions.order_by("-starts_at").first()
    )
