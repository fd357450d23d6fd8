"""Who takes part, in one place: every screen, count, list and message of
deliberation asks here, so two screens never disagree on "the members"."""

from __future__ import annotations

from django.db.models import QuerySet

from assemblies.models import Assembly, Member, MemberRole


def taking_part(assembly: Assembly) -> QuerySet[Member]:
    """The members who deliberate: active members with the member role
    (confirmed, or added by hand and not yet confirmed). Reserves wait to be
    called and facilitators are staff: neither is seated, checked in or counted."""
    return (
        Member.objects.active()
        .filter(assembly=assembly, role=MemberRole.MEMBER)
        .order_by("display_name", "id")
    )


def at_sessions(assembly: Assembly) -> QuerySet[Member]:
    """Who comes to sessions and hears about them: the members taking part and
    the facilitators who are members of the assembly (not reserves)."""
    return (
        Member.objects.active()
        .filter(assembly=assembly, role__in=(MemberRole.MEMBER, MemberRole.FACILITATOR))
        .order_by("display_name", "id")
    )
