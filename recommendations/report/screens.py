"""Organisers' reports screen (under /admin/recommendations/report/): make a
new version of the final report or a progress report, watch it being made,
download the drafts, and choose when to publish (or withdraw) each version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assemblies.jobs import job_context
from assemblies.registry import Route
from assemblies.screens import ActionMixin, AssemblyScreen, ObjectScreen
from reports.files import serve_file
from reports.models import Document, DocumentKind, FileFormat
from reports.services import ordered_files

from ..public.selectors import is_published
from ..rules import MANAGE_RECOMMENDATIONS, VIEW_RECOMMENDATIONS
from . import services


def reports_url(assembly_id: int) -> str:
    return reverse("admin:recommendations_report_assembly", args=[assembly_id])


class ReportsScreen(AssemblyScreen):
    permission = VIEW_RECOMMENDATIONS
    template_name = "recommendations/report/admin_reports.html"

    def get_subtitle(self) -> Any:
        return _("Reports")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        documents = list(
            Document.objects.filter(assembly=self.assembly)
            .select_related("job")
            .prefetch_related("files")
            .order_by("kind", "language", "-version")
        )
        rows = [
            {"document": d, "files": ordered_files(d), **({"job_ctx": job_context(d.job)} if d.job else {})}
            for d in documents
        ]
        return self.render(
            rows=rows,
            can_manage=self.may(MANAGE_RECOMMENDATIONS),
            # report_publish's rule: reports follow the assembly's published recommendations.
            can_publish=is_published(self.assembly),
            languages=services.report_languages(self.assembly),
            today=timezone.localdate().isoformat(),
            public_url=reverse("recommendations:reports", args=[self.assembly.slug]),
        )


class RenderScreen(ActionMixin, AssemblyScreen):
    permission = MANAGE_RECOMMENDATIONS

    def redirect_url(self) -> str:
        return reports_url(self.assembly.pk)

    def act(self) -> Any:
        kind = self.request.POST.get("kind", "")
        as_of = None
        if kind == DocumentKind.PROGRESS:
            raw = self.request.POST.get("as_of", "")
            try:
                as_of = dt.date.fromisoformat(raw)
            except ValueError:
                raise ValidationError(
                    _("The date “%(value)s” is not a date: use YYYY-MM-DD.") % {"value": raw[:20]}
                ) from None
        made = services.report_render(assembly=self.assembly, kind=kind, as_of=as_of, by=self.request.user)
        return _("Version %(version)s is being made; it stays a draft until you publish it.") % {
            "version": made[0].version
        }


class DocumentScreen(ObjectScreen):
    model = Document
    lookup_kwarg = "object_id"

    def redirect_url(self) -> str:
        return reports_url(self.assembly.pk) + f"#document-{self.object.pk}"


class PublishScreen(ActionMixin, DocumentScreen):
    permission = MANAGE_RECOMMENDATIONS

    def act(self) -> Any:
        services.report_publish(document=self.object, by=self.request.user)
        return _("Version %(version)s is published on the assembly's reports page.") % {
            "version": self.object.version
        }


class WithdrawScreen(ActionMixin, DocumentScreen):
    permission = MANAGE_RECOMMENDATIONS

    def act(self) -> Any:
        services.report_withdraw(document=self.object, by=self.request.user)
        return _("Version %(version)s is withdrawn: the public no longer sees it.") % {
            "version": self.object.version
        }


class FileScreen(DocumentScreen):
    """A draft's (or any version's) file, for the organisers to read before publishing."""

    permission = VIEW_RECOMMENDATIONS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = kwargs["format"]
        if fmt not in FileFormat.values:
            raise Http404
        row = self.object.files.filter(format=fmt).first()
        if row is None:
            raise Http404
        return serve_file(row.file, download_name=row.download_name, content_type=row.content_type)


ROUTES = [
    Route("<int:pk>/", ReportsScreen, "recommendations_report_assembly"),
    Route("<int:pk>/render/", RenderScreen, "recommendations_report_render"),
    Route("document/<int:object_id>/publish/", PublishScreen, "recommendations_report_publish"),
    Route("document/<int:object_id>/withdraw/", WithdrawScreen, "recommendations_report_withdraw"),
    Route("document/<int:object_id>/file/<str:format>/", FileScreen, "recommendations_report_file"),
]
