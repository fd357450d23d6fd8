"""What members' voice and care registers (called from deliberation.plugin):
organiser screens, portal links, the facilitator's home, the member erasure
hook, audit labels and deliberation's part of the demo."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member, MemberRole
from assemblies.registry import DashboardLink, DemoPart, PortalLink, TeamPortalLink, registry
from assemblies.rules import SEE_PERSONAL_DATA

from ..rules import FACILITATE, MANAGE_PROGRAMME

AUDIT_ACTION_LABELS = {
    "announcement.sent": _("Announcement sent"),
    "care.updated": _("Code of conduct and safeguarding changed"),
    "concern.raised": _("Concern raised by a member"),
    "concern.updated": _("Concern handled"),
}


def _is_member(assembly: Assembly, member: Member) -> bool:
    return member.role != MemberRole.FACILITATOR


def _erase(member: Member) -> None:
    from .privacy import erase_member_data

    erase_member_data(member)


def _load_demo() -> list[str]:
    from ..demo import load

    return load()


def _demo_logins() -> list[str]:
    """The facilitator's login, printed with the other logins (after the
    assemblies' part, before the lottery's registration link, which stays last)."""
    from ..demo import logins

    return logins()


def register() -> None:
    from .dashboard import voice_section
    from .screens import ANNOUNCEMENT_ROUTES, CONCERN_ROUTES

    registry.admin_screens("deliberation/announcement/", ANNOUNCEMENT_ROUTES)
    registry.admin_screens("deliberation/concern/", CONCERN_ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.dashboard_section(voice_section)
    registry.dashboard_link(
        DashboardLink(
            _("Announcements to members"),
            lambda a: reverse("admin:deliberation_announcement_assembly", args=[a.pk]),
            MANAGE_PROGRAMME,
            order=60,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Members' concerns and code of conduct"),
            lambda a: reverse("admin:deliberation_concern_assembly", args=[a.pk]),
            SEE_PERSONAL_DATA,
            order=61,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Messages from the organisers"),
            lambda a: reverse("portal:deliberation_announcements", kwargs={"slug": a.slug}),
            order=60,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Raise a concern privately"),
            lambda a: reverse("portal:deliberation_concern", kwargs={"slug": a.slug}),
            _is_member,
            order=61,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Download my data"),
            lambda a: reverse("portal:deliberation_my_data", kwargs={"slug": a.slug}),
            order=90,
        )
    )
    registry.team_portal_link(
        TeamPortalLink(
            _("Facilitate: sessions, check-in, tables, questions"),
            lambda a: reverse("portal:deliberation_facilitate", kwargs={"slug": a.slug}),
            FACILITATE,
            order=10,
        )
    )
    registry.erasure_hook(_erase)
    registry.demo(DemoPart("deliberation", _load_demo, order=30))
    registry.demo(DemoPart("deliberation.logins", _demo_logins, order=15))
