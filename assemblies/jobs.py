"""The one polling screen for every job (``jobs.Job``): tenancy like any
other screen, the progress partial, and a full reload when the job ends so the
page shows its result and the next step."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jobs.kinds import kind_of
from jobs.models import Job

from .registry import Route
from .screens import ObjectScreen


def job_context(job: Job | None) -> dict[str, Any]:
    """What ``admin/includes/job_progress.html`` needs, for pages that include it."""
    kind = kind_of(job.kind) if job is not None else None
    return {
        "job": job,
        "job_label": kind.label if kind else None,
        "detail_template": kind.detail_template if kind else None,
    }


class JobProgressScreen(ObjectScreen):
    model = Job

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job: Job = self.object
        response = TemplateResponse(request, "admin/includes/job_progress.html", job_context(job))
        if not job.active and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response


ROUTES = [Route("job/<int:pk>/progress/", JobProgressScreen, "assemblies_job_progress")]
