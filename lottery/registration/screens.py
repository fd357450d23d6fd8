"""Organiser screens for respondents and quotas: the pool import, a
respondent's export and erasure, and proposing a category's seats (mounted
under /admin/lottery/respondent/ and /admin/lottery/category/ by
``lottery.plugin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies.jobs import job_context
from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import ActionMixin, AnyAssemblyScreen, ObjectScreen
from assemblies.selectors import assemblies_where
from jobs.models import JobStatus
from lottery.models import Category, PoolImport, Respondent
from lottery.rules import MANAGE_RECRUITMENT

from . import services, tables
from .forms import PoolImportForm


class PoolImportScreen(AnyAssemblyScreen):
    """Upload a pool file: it is stored and checked (or imported) by a job;
    the result screen follows its progress and shows the report."""

    permission = SEE_PERSONAL_DATA
    template_name = "admin/lottery/respondent/import.html"
    opts_model = Respondent
    http_method_names = ["get", "post"]

    def get_title(self) -> Any:
        return _("Import a pool of respondents")

    def form(self, *args: Any) -> PoolImportForm:
        choices = self.assemblies.filter(pk__in=assemblies_where(self.request.user, MANAGE_RECRUITMENT))
        return PoolImportForm(*args, assemblies=choices)

    def render(self, **extra: Any) -> Any:
        return super().render(max_rows=tables.MAX_ROWS, **extra)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(form=self.form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form=form)
        record = services.pool_import_start(
            assembly=form.cleaned_data["assembly"],
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            by=request.user,
        )
        return HttpResponseRedirect(reverse("admin:lottery_poolimport_result", args=[record.pk]))


class PoolImportResultScreen(ObjectScreen):
    model = PoolImport
    permission = SEE_PERSONAL_DATA
    visible_with = SEE_PERSONAL_DATA
    opts_model = Respondent
    template_name = "admin/lottery/respondent/import_result.html"
    select_related = ("job",)

    def get_title(self) -> Any:
        return _("Import a pool of respondents")

    def get_subtitle(self) -> Any:
        return self.object.file_name

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record: PoolImport = self.object
        done = record.job is not None and record.job.status == JobStatus.DONE
        report = services.ImportReport.from_dict(record.report) if done and record.report else None
        return self.render(
            record=record,
            report=report,
            can_import=bool(
                report and report.dry_run and report.rows_valid and not report.file_errors and record.file
            ),
            **job_context(record.job),
        )


class PoolImportConfirmScreen(ActionMixin, ObjectScreen):
    model = PoolImport
    permission = MANAGE_RECRUITMENT
    visible_with = SEE_PERSONAL_DATA

    def act(self) -> Any:
        record = services.pool_import_confirm(preview=self.object, by=self.request.user)
        return HttpResponseRedirect(reverse("admin:lottery_poolimport_result", args=[record.pk]))

    def redirect_url(self) -> str:
        return reverse("admin:lottery_poolimport_result", args=[self.object.pk])


class RespondentScreen(ObjectScreen):
    model = Respondent
    permission = SEE_PERSONAL_DATA
    visible_with = SEE_PERSONAL_DATA
    opts_model = Respondent
    lookup_kwarg = "object_id"


class RespondentExportScreen(RespondentScreen):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs["format"]
        if fmt not in ("json", "csv"):
            raise Http404
        respondent = self.object
        export = services.respondent_export(respondent=respondent, by=request.user)
        if fmt == "json":
            response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(export.as_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="respondent-{respondent.pseudonym}.{fmt}"'
        return response


class RespondentEraseScreen(RespondentScreen):
    """A confirmation page (GET) and the erasure itself (POST)."""

    template_name = "admin/lottery/respondent/erase_confirm.html"
    http_method_names = ["get", "post"]

    def get_title(self) -> Any:
        return _("Erase this respondent's data?")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(respondent=self.object)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.respondent_erase(respondent=self.object, by=request.user)
        messages.success(request, _("The respondent's data has been erased."))
        return HttpResponseRedirect(reverse("admin:lottery_respondent_changelist"))


class ProposeSeatsScreen(ObjectScreen):
    """Proposes min/max seats from population shares. A GET (a bookmarked or
    shared link) changes nothing: back to the category."""

    model = Category
    permission = MANAGE_RECRUITMENT
    lookup_kwarg = "object_id"
    http_method_names = ["get", "post"]

    def back(self) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:lottery_category_change", args=[self.object.pk]))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.back()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        count = services.category_propose_seats(categories=[self.object], by=request.user)
        messages.success(request, proposed_message(count))
        return self.back()


def proposed_message(count: int) -> str:
    return ngettext(
        "Seats proposed for %(n)d category. Check them and edit where needed.",
        "Seats proposed for %(n)d categories. Check them and edit where needed.",
        count,
    ) % {"n": count}


ROUTES = [
    Route("respondent/import/", PoolImportScreen, "lottery_respondent_import"),
    Route("poolimport/<int:pk>/", PoolImportResultScreen, "lottery_poolimport_result"),
    Route("poolimport/<int:pk>/import/", PoolImportConfirmScreen, "lottery_poolimport_confirm"),
    Route(
        "respondent/<int:object_id>/export/<str:format>/", RespondentExportScreen, "lottery_respondent_export"
    ),
    Route("respondent/<int:object_id>/erase/", RespondentEraseScreen, "lottery_respondent_erase"),
    Route("category/<int:object_id>/propose-seats/", ProposeSeatsScreen, "lottery_category_propose_seats"),
]
