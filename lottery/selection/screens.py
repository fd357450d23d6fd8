"""The organisers' selection screens: quotas, runs, commitment, draw,
confirmations, replacements, letters (mounted under
/admin/lottery/selectionrun/ by ``lottery.plugin``)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from celery import current_app
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import ActionMixin, AssemblyScreen, ObjectScreen
from lottery.models import (
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.rules import FINALISE_PANEL, RUN_SELECTION, VIEW_RECRUITMENT

from . import selectors, services
from .letters import selected_letter_pdf


def _assembly_url(assembly_id: int) -> str:
    return reverse("admin:lottery_selectionrun_assembly", args=[assembly_id])


def _run_url(run_id: int) -> str:
    return reverse("admin:lottery_selectionrun_run", args=[run_id])


# --- an assembly's selection -----------------------------------------------------------
class SelectionScreen(AssemblyScreen):
    permission = VIEW_RECRUITMENT
    template_name = "admin/lottery/selectionrun/assembly.html"
    opts_model = SelectionRun

    def get_subtitle(self) -> Any:
        return _("Selection")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assembly = self.assembly
        return self.render(
            runs=selectors.runs_for(assembly),
            can_run=self.may(RUN_SELECTION),
            can_finalise=self.may(FINALISE_PANEL),
            see_names=self.may(SEE_PERSONAL_DATA),
            people=selectors.selected_people(assembly),
            replaced=selectors.replaced_respondent_ids(assembly),
            reserves=selectors.reserves(assembly),
            counts=selectors.confirmation_counts(assembly),
            vacant=services.vacant_seats(assembly),
            recruitment=RecruitmentSettings.objects.filter(assembly=assembly).first(),
            pool_size=Respondent.objects.filter(assembly=assembly, status__in=services.FRESH_POOL).count(),
            published=SelectionRun.objects.filter(
                assembly=assembly,
                kind=RunKind.SELECTION,
                status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN),
            ).exists(),
            request_key=secrets.token_hex(16),
            # Without a worker (the laptop demo) the run computes inside this
            # request: say so, since no progress can be shown meanwhile.
            runs_inline=bool(current_app.conf.task_always_eager),
            time_limit=settings.SELECTION_TIME_LIMIT,
        )


class QuotasScreen(AssemblyScreen):
    permission = VIEW_RECRUITMENT
    template_name = "admin/lottery/selectionrun/quotas.html"
    opts_model = SelectionRun

    def get_subtitle(self) -> Any:
        return _("Quotas and feasibility")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(feasibility=selectors.quota_feasibility(self.assembly))


class StartRunScreen(ActionMixin, AssemblyScreen):
    permission = RUN_SELECTION

    def act(self) -> Any:
        run = services.selection_run_start(
            assembly=self.assembly, request_key=self.request.POST.get("request_key", ""), by=self.request.user
        )
        return HttpResponseRedirect(_run_url(run.pk))

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


class FinaliseScreen(ActionMixin, AssemblyScreen):
    permission = FINALISE_PANEL

    def act(self) -> Any:
        services.panel_finalise(assembly=self.assembly, by=self.request.user)
        return _("The panel is final. Replacements are closed.")

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


# --- one selection run ---------------------------------------------------------------------
class RunScreenBase(ObjectScreen):
    model = SelectionRun
    permission = VIEW_RECRUITMENT
    opts_model = SelectionRun
    select_related = ("replaces",)
    lookup_kwarg = "object_id"

    def redirect_url(self) -> str:
        return _run_url(self.object.pk)


class RunScreen(RunScreenBase):
    template_name = "admin/lottery/selectionrun/run.html"

    def get_subtitle(self) -> Any:
        run = self.object
        return f"{run.get_kind_display()} · {formats.date_format(run.created_at, 'DATETIME_FORMAT')}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(**selectors.run_figures(self.object), can_run=self.may(RUN_SELECTION))


class RunProgressScreen(RunScreenBase):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.object
        active = run.status in services.ACTIVE
        response = TemplateResponse(
            request, "admin/lottery/selectionrun/_progress.html", {"run": run, "active": active}
        )
        if not active and request.headers.get("HX-Request"):
            # Done: reload the whole page to show the result and the next step.
            response["HX-Refresh"] = "true"
        return response


class CommitScreen(ActionMixin, RunScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        services.selection_publish_commitment(
            run=self.object,
            randomness_source=self.request.POST.get("randomness_source", ""),
            by=self.request.user,
        )
        return _("The commitment is published. Now obtain the public randomness and draw.")


class DrawScreen(ActionMixin, RunScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        services.selection_draw(
            run=self.object, randomness=self.request.POST.get("randomness", ""), by=self.request.user
        )
        return _("The panel is drawn. The selected respondents are being emailed.")


class BundleScreen(RunScreenBase):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.object
        if not run.bundle:
            raise Http404
        response = HttpResponse(
            json.dumps(run.bundle, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{run.assembly.slug}-selection-{run.pk}.json"'
        )
        return response


# --- one selected person ---------------------------------------------------------------------
class RespondentScreenBase(ObjectScreen):
    model = Respondent
    lookup_kwarg = "respondent_id"

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


class LetterScreen(RespondentScreenBase):
    permission = SEE_PERSONAL_DATA

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        respondent = self.object
        if respondent.status != RespondentStatus.SELECTED or not respondent.confirm_token:
            raise Http404
        response = HttpResponse(selected_letter_pdf(respondent), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letter-{respondent.pseudonym}.pdf"'
        return response


class ReplaceScreen(ActionMixin, RespondentScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        run = services.replacement_start(
            respondent=self.object, by=self.request.user, request_key=self.request.POST.get("request_key", "")
        )
        return HttpResponseRedirect(_run_url(run.pk))


class WithdrawScreen(ActionMixin, RespondentScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        services.respondent_withdraw(respondent=self.object, by=self.request.user)
        return None


ROUTES = [
    Route("assembly/<int:pk>/", SelectionScreen, "lottery_selectionrun_assembly"),
    Route("assembly/<int:pk>/quotas/", QuotasScreen, "lottery_selectionrun_quotas"),
    Route("assembly/<int:pk>/start/", StartRunScreen, "lottery_selectionrun_start"),
    Route("assembly/<int:pk>/finalise/", FinaliseScreen, "lottery_selectionrun_finalise"),
    Route("<int:object_id>/run/", RunScreen, "lottery_selectionrun_run"),
    Route("<int:object_id>/progress/", RunProgressScreen, "lottery_selectionrun_progress"),
    Route("<int:object_id>/commit/", CommitScreen, "lottery_selectionrun_commit"),
    Route("<int:object_id>/draw/", DrawScreen, "lottery_selectionrun_draw"),
    Route("<int:object_id>/bundle.json", BundleScreen, "lottery_selectionrun_bundle"),
    Route("respondent/<int:respondent_id>/letter.pdf", LetterScreen, "lottery_selectionrun_letter"),
    Route("respondent/<int:respondent_id>/replace/", ReplaceScreen, "lottery_selectionrun_replace"),
    Route("respondent/<int:respondent_id>/withdraw/", WithdrawScreen, "lottery_selectionrun_withdraw"),
]
