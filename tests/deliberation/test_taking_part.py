"""One answer to "who are the members": the attendance list, the table plan,
announcements to all and session reminders agree (reserves wait, facilitators
are staff, withdrawn members have left)."""

from __future__ import annotations

from typing import Any

from assemblies.models import MemberRole, MemberStatus
from deliberation.attendance.selectors import taking_part as attendance_list
from deliberation.models.voice import Audience
from deliberation.selectors import at_sessions, taking_part
from deliberation.sessions.selectors import session_members
from deliberation.tables.selectors import seated_members
from deliberation.voice.selectors import audience_members
from tests.factories import AssemblyFactory, MemberFactory


def test_every_screen_counts_the_same_members(db: Any) -> None:
    assembly = AssemblyFactory()
    members = [
        MemberFactory(assembly=assembly),
        MemberFactory(assembly=assembly),
        MemberFactory(assembly=assembly, status=MemberStatus.INVITED),  # added by hand, not yet confirmed
    ]
    MemberFactory(assembly=assembly, role=MemberRole.RESERVE)
    facilitator = MemberFactory(assembly=assembly, role=MemberRole.FACILITATOR)
    MemberFactory(assembly=assembly, status=MemberStatus.WITHDRAWN)
    MemberFactory()  # another assembly's

    expected = {m.pk for m in members}
    assert {m.pk for m in taking_part(assembly)} == expected
    assert {m.pk for m in attendance_list(assembly)} == expected
    assert {m.pk for m in seated_members(assembly)} == expected
    assert {m.pk for m in audience_members(assembly, audience=Audience.ALL)} == expected
    # Sessions' reminders also reach the facilitators who come.
    assert {m.pk for m in session_members(assembly)} == {m.pk for m in at_sessions(assembly)}
    assert {m.pk for m in at_sessions(assembly)} == expected | {facilitator.pk}
