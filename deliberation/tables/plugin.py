"""What tables in the app register (called from deliberation.plugin): the
organiser screens, the dashboard link, the members' and facilitators' portal
links, the job that computes a plan and the audit labels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member, MemberRole
from assemblies.registry import DashboardLink, PortalLink, registry
from deliberation.rules import FACILITATE, VIEW_PROGRAMME
from jobs.kinds import JobKind
from jobs.kinds import register as register_job_kind

AUDIT_ACTION_LABELS = {
    "deliberation.table_plan_created": _("Table plan created"),
    "deliberation.table_plan_changed": _("Table plan settings changed"),
    "deliberation.table_changed": _("Table changed"),
    "deliberation.table_pin_added": _("Seat rule added"),
    "deliberation.table_apart_added": _("Pair kept apart"),
    "deliberation.table_rule_removed": _("Table rule removed"),
    "deliberation.table_plan_computed": _("Table plan computation started"),
    "deliberation.table_plan_replanned": _("Remaining rounds re-planned"),
    "deliberation.table_plan_ready": _("Table plan computed"),
    "deliberation.table_plan_swapped": _("Two members swapped tables"),
    "deliberation.member_attribute_set": _("Members' attribute recorded"),
    "deliberation.table_output_recorded": _("Table output recorded"),
    "deliberation.table_output_changed": _("Table output changed"),
    "deliberation.minutes_saved": _("Plenary minutes saved"),
    "deliberation.minutes_circulated": _("Plenary minutes sent to members"),
    "deliberation.minutes_approved": _("Plenary minutes approved"),
    "deliberation.minutes_answered": _("A member answered the minutes"),
}


def _seated(assembly: Assembly, member: Member) -> bool:
    return member.role == MemberRole.MEMBER


def _may_facilitate(assembly: Assembly, member: Member) -> Any:
    return member.user.has_perm(FACILITATE, assembly)


def register() -> None:
    from .screens import ROUTES
    from .services import PLAN_JOB

    registry.admin_screens("deliberation/tableplan/", ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.dashboard_link(
        DashboardLink(
            _("Table plans"),
            lambda a: reverse("admin:deliberation_tables_assembly", args=[a.pk]),
            VIEW_PROGRAMME,
            order=45,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Your table"),
            lambda a: reverse("portal:deliberation_my_tables", args=[a.slug]),
            _seated,
            order=20,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Plenary minutes"),
            lambda a: reverse("portal:deliberation_minutes", args=[a.slug]),
            _seated,
            order=21,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Your tables as facilitator"),
            lambda a: reverse("portal:deliberation_facilitate_tables", args=[a.slug]),
            _may_facilitate,
            order=33,
        )
    )
    if hasattr(registry, "portal_section"):
        from .views import your_table_section

        registry.portal_section(your_table_section)
    _register_team_link()
    register_job_kind(
        JobKind(
            PLAN_JOB,
            _("Table plan"),
            "deliberation.tables.tasks.compute_table_plan",
            "deliberation/tables/admin/_job_detail.html",
        )
    )


def _register_team_link() -> None:
    """Facilitators who are not members reach their tables from the portal home."""
    from assemblies import registry as registry_module

    link_class = getattr(registry_module, "TeamPortalLink", None)
    if link_class is None or not hasattr(registry, "team_portal_link"):
        return
    registry.team_portal_link(
        link_class(
            _("Your tables"),
            lambda a: reverse("portal:deliberation_facilitate_tables", args=[a.slug]),
            FACILITATE,
            order=33,
        )
    )
