"""What the speakers-and-evidence part registers (called from deliberation.plugin):
the balance screen and admin downloads, the dashboard links, the portal links,
the public library's section on the assembly page and the audit labels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.figures import Tally, tally
from assemblies.models import Assembly, Member
from assemblies.registry import DashboardLink, Figure, PortalLink, Section, registry
from deliberation.rules import FACILITATE, VIEW_PROGRAMME

AUDIT_ACTION_LABELS = {
    "deliberation.evidence_added": _("Evidence added"),
    "deliberation.evidence_changed": _("Evidence changed"),
    "deliberation.evidence_deleted": _("Evidence deleted"),
    "deliberation.question_asked": _("Question sent by a member"),
    "deliberation.question_merged": _("Question merged with another"),
    "deliberation.question_unmerged": _("Question separated again"),
    "deliberation.question_moved": _("Question moved"),
    "deliberation.question_status": _("Question marked"),
}


def public_evidence_section(assembly: Assembly) -> Section | None:
    """The "Evidence library" link on the public assembly page, once something is published."""
    from deliberation.models import Evidence

    (count,) = tally(Tally(Evidence, {"assembly": assembly.pk, "is_published": True}))
    if not count:
        return None
    url = reverse("deliberation:evidence_library", kwargs={"slug": assembly.slug})
    return Section(
        "evidence",
        _("What the members heard and read"),
        [Figure(_("Published evidence"), count)],
        [(_("Evidence library"), url)],
    )


def _may_facilitate(assembly: Assembly, member: Member) -> Any:
    return member.user.has_perm(FACILITATE, assembly)


def register() -> None:
    from .screens import BALANCE_ROUTES, EVIDENCE_ROUTES

    registry.admin_screens("deliberation/speaker/", BALANCE_ROUTES)
    registry.admin_screens("deliberation/evidence/", EVIDENCE_ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.public_section(public_evidence_section)
    registry.dashboard_link(
        DashboardLink(
            _("Speakers and balance"),
            lambda a: reverse("admin:deliberation_speaker_balance", args=[a.pk]),
            VIEW_PROGRAMME,
            order=40,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Evidence"),
            lambda a: reverse("admin:deliberation_evidence_changelist") + f"?assembly__id__exact={a.pk}",
            VIEW_PROGRAMME,
            order=41,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Members' questions (facilitators' page)"),
            lambda a: reverse("portal:deliberation_facilitate_questions", args=[a.slug]),
            FACILITATE,
            order=42,
        )
    )
    registry.portal_link(
        PortalLink(
            _("What to read and watch"),
            lambda a: reverse("portal:deliberation_evidence", args=[a.slug]),
            order=30,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Ask the speakers a question"),
            lambda a: reverse("portal:deliberation_questions", args=[a.slug]),
            order=31,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Members' questions (facilitators)"),
            lambda a: reverse("portal:deliberation_facilitate_questions", args=[a.slug]),
            visible=_may_facilitate,
            order=32,
        )
    )
