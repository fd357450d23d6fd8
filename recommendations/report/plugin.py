"""What reports put into the registries (called from ``recommendations.plugin``):
the builders of the final and progress reports, the organisers' screen and
its dashboard link, the public page's section, the API and the audit labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.registry import ApiEndpoint, DashboardLink, registry
from jobs.kinds import JobKind
from jobs.kinds import register as register_job_kind
from reports import builders
from reports.models import DocumentKind

from ..rules import VIEW_RECOMMENDATIONS

AUDIT_LABELS = {
    "recommendations.report_rendered": _("Report version made (a draft)"),
    "recommendations.report_published": _("Report version published"),
    "recommendations.report_withdrawn": _("Report version withdrawn from the public page"),
}


def register() -> None:
    from .api import PublicReportViewSet
    from .builders import build_final, build_progress
    from .public import public_section
    from .screens import ROUTES

    builders.register(DocumentKind.FINAL, build_final)
    builders.register(DocumentKind.PROGRESS, build_progress)
    register_job_kind(
        JobKind("reports.render", _("Making a report"), "recommendations.report.tasks.render_report")
    )
    registry.admin_screens("recommendations/report/", ROUTES)
    registry.api(ApiEndpoint("reports", PublicReportViewSet, "public-report"))
    registry.public_section(public_section)
    registry.audit_labels(AUDIT_LABELS)
    registry.dashboard_link(
        DashboardLink(
            _("Reports"),
            lambda a: reverse("admin:recommendations_report_assembly", args=[a.pk]),
            VIEW_RECOMMENDATIONS,
            order=60,
        )
    )
