"""What assemblies itself puts into the registry (called from AppConfig.ready):
the dashboard, its public and portal pages, its audit labels and next steps."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audit import AUDIT_ACTION_LABELS
from .dashboard import ROUTES
from .demo import demo_lines
from .jobs import ROUTES as JOB_ROUTES
from .models import Stage
from .registry import ApiEndpoint, AppUrls, DashboardLink, DemoPart, registry
from .rules import VIEW_ASSEMBLY


def register() -> None:
    from .api import ManagedAssemblyViewSet, PublicAssemblyViewSet

    registry.api(ApiEndpoint("assemblies", PublicAssemblyViewSet, "public-assembly"))
    registry.api(ApiEndpoint("manage/assemblies", ManagedAssemblyViewSet, "managed-assembly"))
    registry.admin_screens("assemblies/assembly/", ROUTES)
    registry.admin_screens("assemblies/", JOB_ROUTES)
    registry.urls(
        AppUrls(
            "assemblies",
            public="assemblies.public_urls",
            site="assemblies.urls",
            portal="assemblies.portal_urls",
        )
    )
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.next_steps(
        {
            Stage.DRAFT: _("Write the remit and description, add your team, then open recruitment."),
            Stage.CLOSED: _("The assembly is closed. Its public pages stay online."),
        }
    )
    registry.dashboard_link(
        DashboardLink(
            _("See the members"),
            lambda a: reverse("admin:assemblies_member_changelist") + f"?assembly__id__exact={a.pk}",
            VIEW_ASSEMBLY,
            order=50,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Edit the assembly"),
            lambda a: reverse("admin:assemblies_assembly_change", args=[a.pk]),
            VIEW_ASSEMBLY,  # viewers get the read-only form
            order=60,
        )
    )
    registry.demo(DemoPart("assemblies", demo_lines, order=10))
