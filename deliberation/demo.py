"""Deliberation's part of the demo (``registry.demo``, after the lottery's).

- Northshire Climate Assembly (deliberating): four weekend sessions, two held
  (attendance, table plans with their outputs) and two to come (agenda,
  speakers with their interests and positions, evidence with summaries and
  one PDF), two of them public; a code of conduct, an announcement and a
  member's concern.
- Riverside Housing Assembly (published): its four held sessions, so its
  report can tell its learning programme.

Idempotent like the rest of the demo: rows are found by natural keys
(assembly and title, session and position...) and sessions are put back on
the calendar relative to the day the demo is loaded, at every load.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Member, MemberRole
from reports.pdf import render_pdf

from .models import (
    AgendaItem,
    AgendaKind,
    Announcement,
    AssemblyCare,
    Attendance,
    AttendanceStatus,
    Concern,
    ConcernStatus,
    Evidence,
    EvidenceKind,
    Participant,
    Session,
    SessionMode,
    SessionStatus,
    Speaker,
    SpeakerKind,
    Stance,
    Topic,
)

logger = logging.getLogger(__name__)

CLIMATE_SLUG = "northshire-climate"
RIVERSIDE_SLUG = "riverside-housing"
FACILITATOR_EMAIL = "facilitator@northshire.example"


def saturday(days: int) -> dt.date:
    """The Saturday on or before the day ``days`` from today: sessions are weekends."""
    date = timezone.localdate() + dt.timedelta(days=days)
    return date - dt.timedelta(days=(date.weekday() - 5) % 7)


def at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    minutes: int
    topic: str = ""
    speakers: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Plan:
    title: str
    title_fr: str
    days: int  # from today, moved back to a Saturday
    public: bool
    held: bool
    items: tuple[Item, ...] = field(default_factory=tuple)


VENUE = {
    "venue_name": "Northshire County Hall, Council Chamber",
    "venue_address": "County Hall, Market Street, Northshire NS1 2AB",
    "access_info": (
        "Buses 4, 12 and 30 stop outside (County Hall stop). Free parking behind the building, "
        "two blue-badge bays at the front. Step-free entrance on Market Street; lift to every floor; "
        "hearing loop in the chamber; a quiet room on the first floor."
    ),
}

TOPICS = [
    ("Energy and homes", "Énergie et logement"),
    ("Transport", "Transports"),
    ("Land, food and nature", "Terres, alimentation et nature"),
    ("Fairness and costs", "Équité et coûts"),
]

# name, kind, organisation, topic, stance, position, interests
SPEAKERS = [
    ("Dr Helen Marsh", SpeakerKind.EXPERT, "University of Northshire", "Energy and homes", Stance.INFORMING,
     "", "Employed by the University of Northshire; research funded by UK Research and Innovation."),
    ("Sara Ibekwe", SpeakerKind.ADVOCATE, "Northshire Energy Agency", "Energy and homes", Stance.FOR,
     "Heat pumps in every home by 2035, with grants", "The agency is funded by the County Council."),
    ("Gwen Pritchard", SpeakerKind.LIVED_EXPERIENCE, "", "Energy and homes", Stance.MIXED,
     "Help first for homes that are hard to heat", "None."),
    ("Dr Owen Lloyd", SpeakerKind.EXPERT, "Transport Research Centre", "Transport", Stance.INFORMING,
     "", "Has advised bus operators in the region (paid consultancy, 2023)."),
    ("Tom Reeve", SpeakerKind.ADVOCATE, "Northshire Friends of the Earth", "Transport", Stance.FOR,
     "A congestion charge for Northshire town centre", "Volunteer chair of the local group."),
    ("Priya Nair", SpeakerKind.STAKEHOLDER, "Northshire Chamber of Commerce", "Transport", Stance.AGAINST,
     "No congestion charge: better buses first", "Represents 400 local businesses, funded by their fees."),
    ("Mark Allen", SpeakerKind.STAKEHOLDER, "Northshire Farmers' Union", "Land, food and nature",
     Stance.MIXED,
     "Tree planting, but not on productive farmland", "Farms 120 hectares near Eastbrook."),
    ("Amina Chowdhury", SpeakerKind.ADVOCATE, "Citizens Advice Northshire", "Fairness and costs",
     Stance.MIXED,
     "Nobody on a low income should pay more", "Citizens Advice receives a council grant."),
]  # fmt: skip

CLIMATE_SESSIONS = [
    Plan(
        "Weekend 1: Understanding the climate challenge",
        "Week-end 1 : comprendre le défi climatique",
        -35,
        public=True,
        held=True,
        items=(
            Item(AgendaKind.PLENARY, "Welcome and how the assembly works", 45),
            Item(AgendaKind.TALK, "Northshire's emissions today", 45, "Energy and homes",
                 ("Dr Helen Marsh",)),
            Item(AgendaKind.QA, "Your questions", 30, "Energy and homes", ("Dr Helen Marsh",)),
            Item(AgendaKind.BREAK, "Lunch", 60),
            Item(AgendaKind.TABLES, "What matters to us", 120),
            Item(AgendaKind.PLENARY, "What we heard today", 45),
        ),
    ),
    Plan(
        "Weekend 2: Energy and homes",
        "Week-end 2 : énergie et logement",
        -14,
        public=False,
        held=True,
        items=(
            Item(AgendaKind.TALK, "Heating our homes", 40, "Energy and homes", ("Sara Ibekwe",)),
            Item(AgendaKind.TALK, "Living in a cold home", 30, "Energy and homes", ("Gwen Pritchard",)),
            Item(AgendaKind.QA, "Panel: your questions", 45, "Energy and homes",
                 ("Sara Ibekwe", "Gwen Pritchard")),
            Item(AgendaKind.BREAK, "Lunch", 60),
            Item(AgendaKind.TABLES, "Options for homes", 120, "Energy and homes"),
            Item(AgendaKind.PLENARY, "Reporting back", 45),
        ),
    ),
    Plan(
        "Weekend 3: Transport and land",
        "Week-end 3 : transports et terres",
        13,
        public=True,
        held=False,
        items=(
            Item(AgendaKind.TALK, "How Northshire travels", 40, "Transport", ("Dr Owen Lloyd",),
                 "Where the county's transport emissions come from, and what has worked elsewhere."),
            Item(AgendaKind.TALK, "For and against a congestion charge", 50, "Transport",
                 ("Tom Reeve", "Priya Nair"),
                 "Two speakers with opposite views, ten minutes each, then questions."),
            Item(AgendaKind.BREAK, "Lunch", 60),
            Item(AgendaKind.TALK, "Farming, trees and nature", 40, "Land, food and nature", ("Mark Allen",)),
            Item(AgendaKind.TABLES, "Weighing the transport options", 120, "Transport"),
            Item(AgendaKind.PLENARY, "What we heard today", 45),
        ),
    ),
    Plan(
        "Weekend 4: Deciding our recommendations",
        "Week-end 4 : décider de nos recommandations",
        34,
        public=False,
        held=False,
        items=(
            Item(AgendaKind.TALK, "Who pays? Fairness and costs", 40, "Fairness and costs",
                 ("Amina Chowdhury",)),
            Item(AgendaKind.TABLES, "Drafting recommendations", 120),
            Item(AgendaKind.BREAK, "Lunch", 60),
            Item(AgendaKind.PLENARY, "Reading the drafts together", 60),
            Item(AgendaKind.VOTE, "Voting on the recommendations", 60),
            Item(AgendaKind.PLENARY, "Thank you and what happens next", 30),
        ),
    ),
]  # fmt: skip

RIVERSIDE_SESSIONS = [
    Plan("Weekend 1: Renting in Riverside today", "", -174, public=True, held=True),
    Plan("Weekend 2: Security of tenure", "", -160, public=True, held=True),
    Plan("Weekend 3: Affordability and supply", "", -146, public=True, held=True),
    Plan("Weekend 4: Our recommendations", "", -132, public=True, held=True),
]

RIVERSIDE_ITEMS = (
    Item(AgendaKind.PLENARY, "Welcome", 30),
    Item(AgendaKind.TALK, "Evidence session", 60),
    Item(AgendaKind.QA, "Questions to the speakers", 30),
    Item(AgendaKind.BREAK, "Lunch", 60),
    Item(AgendaKind.TABLES, "Table discussions", 120),
    Item(AgendaKind.PLENARY, "Plenary", 60),
)

EVIDENCE = [
    # agenda item title, kind, title, summary, published, with a PDF
    ("How Northshire travels", EvidenceKind.SUMMARY, "Transport emissions in Northshire: the facts",
     "Cars and vans make up two thirds of the county's transport emissions. Most journeys are under "
     "five miles. Buses carry one journey in twenty, fewer than ten years ago.", True, True),
    ("For and against a congestion charge", EvidenceKind.SUMMARY, "Congestion charges elsewhere",
     "What happened in three towns that introduced a charge: traffic, shops' takings, and who paid.",
     True, False),
    ("For and against a congestion charge", EvidenceKind.RECORDING, "Chamber of Commerce: a video briefing",
     "Priya Nair explains the case for better buses before any charge.", False, False),
    ("Farming, trees and nature", EvidenceKind.SUMMARY, "Land use in Northshire",
     "Farmland covers 70 % of the county. Woodland 9 %. Peat soils store as much carbon as all its trees.",
     True, False),
    ("Who pays? Fairness and costs", EvidenceKind.SUMMARY, "Who pays for net zero?",
     "The costs of the main options for households on different incomes, and the help available.",
     False, False),
]  # fmt: skip

CODE_OF_CONDUCT = """We listen to each other, and let everyone finish.
We disagree with ideas, never with people. No shouting, no insults, no pressure.
What members share about their own lives stays in the room.
Facilitators and organisers are here to help: tell them if something is wrong.
Harassment or discrimination of any kind is not accepted: anyone who does it is asked to leave."""

SAFEGUARDING = """Joanne Price, safeguarding lead, Northshire County Council: 01632 960 123
Daniel Osei, lead facilitator (at every session)"""

ANNOUNCEMENT = (
    "Weekend 3: bring a packed lunch if you can",
    "The café at County Hall is closed for repairs on Saturday. We will provide sandwiches, "
    "but bring your own lunch if you have a special diet. See you at 10:00!",
    "Week-end 3 : apportez un repas si vous le pouvez",
    "La cafétéria de County Hall est fermée samedi pour travaux. Nous fournirons des sandwiches, "
    "mais apportez votre repas si vous suivez un régime particulier. À 10 h !",
)


@transaction.atomic
def load() -> list[str]:
    climate = Assembly.objects.filter(slug=CLIMATE_SLUG).first()
    if climate is not None:
        _seed_climate(climate)
    riverside = Assembly.objects.filter(slug=RIVERSIDE_SLUG).first()
    if riverside is not None:
        topic, _ = Topic.objects.get_or_create(assembly=riverside, name="Renting")
        for plan in RIVERSIDE_SESSIONS:
            session = _session(riverside, plan, venue={"venue_name": "Riverside Civic Centre"})
            _agenda(session, RIVERSIDE_ITEMS, {}, {"": topic})
            _attendance(session)
    return []


def logins() -> list[str]:
    """The facilitator of the climate assembly (a team member with the
    facilitator role, created with the assemblies' part of the demo)."""
    from assemblies.demo import ORGANISER_PASSWORD

    if not Member.objects.filter(assembly__slug=CLIMATE_SLUG, user__email=FACILITATOR_EMAIL).exists():
        return []
    return [f"  Facilitator (Northshire):   {FACILITATOR_EMAIL}  /  {ORGANISER_PASSWORD}"]


def _seed_climate(climate: Assembly) -> None:
    topics = {}
    for order, (name, name_fr) in enumerate(TOPICS):
        topic, _ = Topic.objects.get_or_create(
            assembly=climate, name=name, defaults={"name_translations": {"fr": name_fr}, "position": order}
        )
        topics[name] = topic
    speakers = {}
    for name, kind, organisation, topic_name, stance, position, interests in SPEAKERS:
        speaker, _ = Speaker.objects.get_or_create(
            assembly=climate,
            name=name,
            defaults={
                "kind": kind,
                "organisation": organisation,
                "topic": topics[topic_name],
                "stance": stance,
                "position": position,
                "interests": interests,
            },
        )
        speakers[name] = speaker
    facilitator = (
        Member.objects.filter(assembly=climate, user__email=FACILITATOR_EMAIL).select_related("user").first()
    )
    sessions = []
    for plan in CLIMATE_SESSIONS:
        session = _session(climate, plan, venue=VENUE)
        _agenda(session, plan.items, speakers, topics, facilitator.user if facilitator else None)
        sessions.append((plan, session))
    _participants(climate)
    for plan, session in sessions:
        if plan.held:
            _attendance(session)
            _table_plan(session)
    _evidence(climate)
    _care(climate)
    _announcement(climate, sessions[2][1])
    _concern(climate)


def _session(assembly: Assembly, plan: Plan, *, venue: dict[str, str]) -> Session:
    date = saturday(plan.days)
    fields = {
        "starts_at": at(date, 10),
        "ends_at": at(date, 16, 30),
        "is_public": plan.public,
        "status": SessionStatus.HELD if plan.held else SessionStatus.PLANNED,
    }
    session, created = Session.objects.get_or_create(
        assembly=assembly,
        title=plan.title,
        defaults={
            **fields,
            **venue,
            "mode": SessionMode.IN_PERSON,
            "title_translations": {"fr": plan.title_fr} if plan.title_fr else {},
            "notes_for_members": "" if plan.held else "Doors open at 9:30. Tea and coffee on arrival.",
        },
    )
    if not created:
        # Back on the calendar relative to today (an update: no change notices).
        Session.objects.filter(pk=session.pk).update(**fields)
        for key, value in fields.items():
            setattr(session, key, value)
    return session


def _agenda(
    session: Session,
    items: tuple[Item, ...],
    speakers: dict[str, Speaker],
    topics: dict[str, Topic],
    facilitator: object = None,
) -> None:
    for position, spec in enumerate(items, start=1):
        item, created = AgendaItem.objects.get_or_create(
            session=session,
            position=position,
            defaults={
                "kind": spec.kind,
                "title": spec.title,
                "minutes": spec.minutes,
                "description": spec.description,
                "topic": topics.get(spec.topic),
            },
        )
        if created:
            item.speakers.set([speakers[name] for name in spec.speakers if name in speakers])
            if facilitator is not None and spec.kind == AgendaKind.TABLES:
                item.facilitators.add(facilitator)  # type: ignore[arg-type]


def _members(assembly: Assembly) -> list[Member]:
    return list(
        Member.objects.active().filter(assembly=assembly).exclude(role=MemberRole.FACILITATOR).order_by("pk")
    )


def _participants(assembly: Assembly) -> None:
    have = set(Participant.objects.filter(member__assembly=assembly).values_list("member_id", flat=True))
    Participant.objects.bulk_create(
        [Participant(member=m) for m in _members(assembly) if m.pk not in have], ignore_conflicts=True
    )


def _attendance(session: Session) -> None:
    """Most came; a few were away (excused) or absent, always the same people."""
    if Attendance.objects.filter(session=session).exists():
        return
    rows = []
    for index, member in enumerate(_members(session.assembly)):
        if index % 11 == 5:
            status = AttendanceStatus.ABSENT
        elif index % 13 == 7:
            status = AttendanceStatus.EXCUSED
        else:
            status = AttendanceStatus.PRESENT
        present = status == AttendanceStatus.PRESENT
        checked_in = session.starts_at - dt.timedelta(minutes=25 - index % 20)
        rows.append(
            Attendance(
                session=session, member=member, status=status, checked_in_at=checked_in if present else None
            )
        )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)


def _table_plan(session: Session) -> None:
    try:
        from .tables.demo import seed_table_plan  # another part's demo, once it exists
    except ImportError:
        return
    seed_table_plan(session, held=True)


def _evidence(assembly: Assembly) -> None:
    items = {
        i.title: i for i in AgendaItem.objects.filter(session__assembly=assembly).select_related("session")
    }
    for item_title, kind, title, summary, published, with_pdf in EVIDENCE:
        item = items.get(item_title)
        speaker = item.speakers.first() if item is not None else None
        evidence, _created = Evidence.objects.get_or_create(
            assembly=assembly,
            title=title,
            defaults={
                "item": item,
                "topic": item.topic if item is not None else None,
                "speaker": speaker,
                "kind": kind,
                "summary": summary,
                "url": "https://northshire.example/assembly/briefing-video"
                if kind == EvidenceKind.RECORDING
                else "",
                "is_published": published,
                "published_at": timezone.now() if published else None,
            },
        )
        if with_pdf and not evidence.file:
            html = render_to_string(
                "deliberation/voice/demo_evidence.html", {"title": title, "summary": summary}
            )
            pdf = render_pdf(html)
            evidence.file.save("transport-emissions-facts.pdf", ContentFile(pdf), save=False)
            evidence.file_name = "transport-emissions-facts.pdf"
            evidence.content_type = "application/pdf"
            evidence.size = len(pdf)
            evidence.kind = EvidenceKind.DOCUMENT
            evidence.save()


def _care(assembly: Assembly) -> None:
    AssemblyCare.objects.get_or_create(
        assembly=assembly,
        defaults={"code_of_conduct": CODE_OF_CONDUCT, "safeguarding_contacts": SAFEGUARDING},
    )


def _announcement(assembly: Assembly, session: Session) -> None:
    from .voice.services import announcement_send

    subject, body, subject_fr, body_fr = ANNOUNCEMENT
    if Announcement.objects.filter(assembly=assembly, subject=subject).exists():
        return
    announcement_send(
        assembly=assembly,
        audience="session",
        session=session,
        subjects={"en": subject, "fr": subject_fr},
        bodies={"en": body, "fr": body_fr},
        by=SYSTEM,
    )


def _concern(assembly: Assembly) -> None:
    from assemblies.demo import MEMBER_EMAIL

    from .voice.services import concern_raise, concern_update

    member = Member.objects.filter(assembly=assembly, user__email=MEMBER_EMAIL).first()
    if member is None or Concern.objects.filter(member=member).exists():
        return
    concern = concern_raise(
        member=member,
        text="At my table last weekend one person kept talking over the others, and two members stopped "
        "speaking. Could the facilitator step in earlier?",
        by=SYSTEM,
    )
    concern_update(
        concern=concern,
        status=ConcernStatus.ACKNOWLEDGED,
        note="Thank you for telling us. We have spoken to the facilitators and will keep an eye on it.",
        by=SYSTEM,
    )
