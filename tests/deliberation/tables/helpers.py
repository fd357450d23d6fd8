"""A room to seat: members whose demographic answers come from the lottery
(each member linked to a respondent with answers over gender and age)."""

from __future__ import annotations

from typing import Any

from assemblies.models import Member, Role
from deliberation.models import Attendance, AttendanceStatus, Session
from tests.factories import MemberFactory, SessionFactory, TeamMembershipFactory, UserFactory, make_pool


def make_room(assembly: Any, *, n: int = 16) -> list[Member]:
    respondents = make_pool(assembly, n=n, k=n, reserves=0)
    members = []
    for i, respondent in enumerate(respondents):
        member = MemberFactory(
            assembly=assembly,
            user=UserFactory(username=f"{assembly.slug}-seat{i}@example.org", first_name=f"Person{i}"),
            display_name=f"Person {i:02d}",
        )
        respondent.member = member
        respondent.save(update_fields=["member"])
        members.append(member)
    return members


def make_facilitator(tenant: Any, name: str = "Fay") -> Any:
    user = UserFactory(username=f"{tenant.assembly.slug}-{name.lower()}@example.org", first_name=name)
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.FACILITATOR, assembly=tenant.assembly)
    return user


def make_session(assembly: Any, **fields: Any) -> Session:
    return SessionFactory(assembly=assembly, **fields)


def check_in(session: Session, members: list[Member]) -> None:
    for member in members:
        Attendance.objects.update_or_create(
            session=session, member=member, defaults={"status": AttendanceStatus.PRESENT}
        )
