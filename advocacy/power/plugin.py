"""What the power-literacy part registers (called from advocacy.plugin): the
map and pressure screens, dashboard links, the members' portal link and the
audit labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.rules import VIEW_ADVOCACY
from assemblies.models import Assembly, Member, Stage
from assemblies.registry import DashboardLink, PortalLink, registry

AUDIT_ACTION_LABELS = {
    "advocacy.stakeholder_added": _("Stakeholder added"),
    "advocacy.stakeholder_changed": _("Stakeholder changed"),
    "advocacy.stance_set": _("Stakeholder's stance recorded"),
    "advocacy.tactic_added": _("Tactic added"),
    "advocacy.tactic_changed": _("Tactic changed"),
}

#: Stages at which members see the advocacy pages in their portal.
AFTER_THE_REPORT = (Stage.PUBLISHED, Stage.FOLLOW_UP, Stage.CLOSED)


def after_the_report(assembly: Assembly, member: Member) -> bool:
    return assembly.stage in AFTER_THE_REPORT


def register() -> None:
    from .screens import STAKEHOLDER_ROUTES, TACTIC_ROUTES

    registry.admin_screens("advocacy/stakeholder/", STAKEHOLDER_ROUTES)
    registry.admin_screens("advocacy/tactic/", TACTIC_ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.dashboard_link(
        DashboardLink(
            _("Power map"),
            lambda a: reverse("admin:advocacy_stakeholder_map", args=[a.pk]),
            VIEW_ADVOCACY,
            order=70,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Tactics: insider and outsider pressure"),
            lambda a: reverse("admin:advocacy_tactic_pressure", args=[a.pk]),
            VIEW_ADVOCACY,
            order=71,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Power: how decisions get made"),
            lambda a: reverse("portal:advocacy_power", args=[a.slug]),
            visible=after_the_report,
            order=70,
        )
    )
