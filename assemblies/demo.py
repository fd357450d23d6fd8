"""The demo world that ``make run`` loads: realistic, idempotent, quick.

Every object is looked up by a natural key before it is created, so running the
seed twice changes nothing and never duplicates a row.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.services import ensure_user

from .models import (
    Assembly,
    AssemblyKind,
    Member,
    MemberRole,
    MemberStatus,
    Organisation,
    OrganiserTeam,
    Role,
    Stage,
    TeamMembership,
)
from .services import TRANSITIONS

ADMIN_EMAIL = "admin@plenary.localhost"
ADMIN_PASSWORD = "plenary-admin-demo"  # noqa: S105 - printed for the demo on purpose
ORGANISER_EMAIL = "organiser@northshire.example"
ORGANISER_PASSWORD = "plenary-organiser-demo"  # noqa: S105
OTHER_ORGANISER_EMAIL = "organiser@riverside.example"
MEMBER_EMAIL = "member@northshire.example"

FIRST_NAMES = [
    "Aisha", "Ben", "Chloé", "Dariusz", "Eilidh", "Farah", "Gareth", "Hannah", "Ibrahim", "Jade",
    "Kwame", "Lucy", "Mohammed", "Niamh", "Oliver", "Priya", "Quentin", "Rosa", "Samir", "Tomasz",
    "Ursula", "Vikram", "Wendy", "Xavier", "Yasmin", "Zofia", "Arthur", "Bethan", "Callum", "Deepa",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Kowalski", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts", "Singh", "Taylor", "Williams",
]  # fmt: skip


@dataclass
class DemoLogins:
    admin: tuple[str, str]
    organiser: tuple[str, str]
    other_organiser: tuple[str, str]
    member: str


def _user_with_password(email: str, password: str, *, superuser: bool = False) -> object:
    user = ensure_user(email=email)
    if not user.has_usable_password():
        user.set_password(password)
    if superuser:
        user.is_superuser = user.is_staff = True  # type: ignore[attr-defined]
    user.save()
    return user


def _advance(assembly: Assembly, to_stage: str) -> None:
    """Walk the assembly through the allowed moves (no audit noise for the seed)."""
    order = list(Stage.values)
    while assembly.stage != to_stage:
        forward = [s for s in TRANSITIONS[assembly.stage] if order.index(s) > order.index(assembly.stage)]
        assembly.stage = forward[0]
    assembly.save(update_fields=["stage"])


def _day(days: int) -> dt.date:
    """A date ``days`` from the day the demo is loaded: the demo's calendar
    moves with it, so "next session" and "starts in" stay true."""
    return timezone.localdate() + dt.timedelta(days=days)


def _assembly(organisation: Organisation, slug: str, stage: str, **fields: object) -> Assembly:
    assembly, created = Assembly.objects.get_or_create(
        slug=slug, defaults={"organisation": organisation, **fields}
    )
    if created:
        _advance(assembly, stage)
    dates = {k: v for k, v in fields.items() if k in ("starts_on", "ends_on")}
    if dates and any(getattr(assembly, k) != v for k, v in dates.items()):
        Assembly.objects.filter(pk=assembly.pk).update(**dates)  # again at every load
    return assembly


@transaction.atomic
def seed_demo() -> DemoLogins:
    _user_with_password(ADMIN_EMAIL, ADMIN_PASSWORD, superuser=True)
    organiser = _user_with_password(ORGANISER_EMAIL, ORGANISER_PASSWORD)
    other_organiser = _user_with_password(OTHER_ORGANISER_EMAIL, ORGANISER_PASSWORD)
    facilitator = _user_with_password("facilitator@northshire.example", ORGANISER_PASSWORD)
    northshire, riverside = _organisations(organiser, other_organiser)
    climate = _northshire_assemblies(northshire)
    team = OrganiserTeam.objects.get(organisation=northshire, name="Democracy unit")
    TeamMembership.objects.get_or_create(
        team=team, user=facilitator, assembly=climate, defaults={"role": Role.FACILITATOR}
    )
    _riverside_assemblies(riverside)
    _climate_members(climate, facilitator)
    return DemoLogins(
        admin=(ADMIN_EMAIL, ADMIN_PASSWORD),
        organiser=(ORGANISER_EMAIL, ORGANISER_PASSWORD),
        other_organiser=(OTHER_ORGANISER_EMAIL, ORGANISER_PASSWORD),
        member=MEMBER_EMAIL,
    )


def demo_lines() -> list[str]:
    """Assemblies' part of the demo (``registry.demo``): the logins to print."""
    logins = seed_demo()
    return [
        f"  Admin (superuser):          {logins.admin[0]}  /  {logins.admin[1]}",
        f"  Organiser (Northshire):     {logins.organiser[0]}  /  {logins.organiser[1]}",
        f"  Organiser (Riverside):      {logins.other_organiser[0]}  /  {logins.other_organiser[1]}",
        f"  Member (login by code):     {logins.member}",
    ]


def _organisations(organiser: object, other_organiser: object) -> tuple[Organisation, Organisation]:
    northshire, _ = Organisation.objects.get_or_create(
        slug="northshire",
        defaults={"name": "Northshire County Council", "website": "https://northshire.example"},
    )
    riverside, _ = Organisation.objects.get_or_create(
        slug="riverside", defaults={"name": "Riverside City Council", "website": "https://riverside.example"}
    )
    team, _ = OrganiserTeam.objects.get_or_create(organisation=northshire, name="Democracy unit")
    other_team, _ = OrganiserTeam.objects.get_or_create(organisation=riverside, name="Engagement team")
    TeamMembership.objects.get_or_create(
        team=team, user=organiser, assembly=None, defaults={"role": Role.OWNER}
    )
    TeamMembership.objects.get_or_create(
        team=other_team, user=other_organiser, assembly=None, defaults={"role": Role.OWNER}
    )
    return northshire, riverside


def _northshire_assemblies(northshire: Organisation) -> Assembly:
    """The climate assembly (returned), the transport one and a community one."""
    climate = _assembly(
        northshire,
        "northshire-climate",
        Stage.DELIBERATING,
        title="Northshire Climate Assembly",
        remit="How should Northshire cut its carbon emissions to net zero by 2040, fairly for everyone?",
        description=(
            "Sixty residents of Northshire, chosen by a civic lottery to reflect the county by age, "
            "gender, area, education and attitude to climate change, meet over four weekends. They hear "
            "from experts, deliberate in small groups and vote on recommendations to the County Council, "
            "which has promised a formal response within three months."
        ),
        languages=["en", "fr"],
        starts_on=_day(-60),
        ends_on=_day(80),
        is_public=True,
    )
    _assembly(
        northshire,
        "northshire-transport",
        Stage.RECRUITING,
        title="Northshire Transport Assembly",
        remit="What should a fair and reliable bus network for Northshire look like by 2030?",
        description="Invitation letters are going out to 12,000 households chosen at random.",
        languages=["en", "fr"],
        starts_on=_day(120),
        ends_on=_day(180),
        is_public=True,
    )
    _assembly(
        northshire,
        "eastbrook-climate-circle",
        Stage.DELIBERATING,
        title="Eastbrook Community Climate Circle",
        remit="What can Eastbrook do itself, and what should it ask of the county, to cut emissions?",
        description="A community assembly hosted by Eastbrook library, feeding the county assembly.",
        kind=AssemblyKind.COMMUNITY,
        parent=climate,
        languages=["en"],
        starts_on=_day(-20),
        ends_on=_day(15),
        is_public=True,
    )
    return climate


def _riverside_assemblies(riverside: Organisation) -> None:
    _assembly(
        riverside,
        "riverside-housing",
        Stage.PUBLISHED,
        title="Riverside Housing Assembly",
        remit="How can Riverside make renting secure and affordable?",
        description="Forty-eight Riversiders, chosen by a civic lottery, met four times to hear evidence "
        "and decide.",
        languages=["en"],
        starts_on=_day(-180),
        ends_on=_day(-124),
        is_public=True,
    )
    _assembly(
        riverside,
        "riverside-draft",
        Stage.DRAFT,
        title="Riverside Youth Assembly (in preparation)",
        remit="What should Riverside's youth services offer?",
        languages=["en"],
    )


def _climate_members(climate: Assembly, facilitator: object) -> None:
    User = get_user_model()
    rng = random.Random(2026)  # the same names every time
    member = ensure_user(email=MEMBER_EMAIL)
    Member.objects.get_or_create(
        assembly=climate,
        user=member,
        defaults={"display_name": "Sam Okafor", "status": MemberStatus.CONFIRMED},
    )
    if climate.members.count() < 60:
        for i in range(60):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            email = f"member{i:02d}@northshire.example"
            if User.objects.filter(email=email).exists():
                continue
            user = ensure_user(email=email)
            Member.objects.get_or_create(
                assembly=climate,
                user=user,
                defaults={
                    "display_name": name,
                    "role": MemberRole.RESERVE if i >= 54 else MemberRole.MEMBER,
                    "status": MemberStatus.INVITED if i % 17 == 0 else MemberStatus.CONFIRMED,
                },
            )
    Member.objects.get_or_create(
        assembly=climate,
        user=facilitator,
        defaults={
            "display_name": "Fatima (facilitator)",
            "role": MemberRole.FACILITATOR,
            "status": MemberStatus.CONFIRMED,
        },
    )
