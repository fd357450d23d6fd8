"""The organisers' selection screens: quotas, runs, commitment, draw,
confirmations, replacements, letters.

All screens hang off SelectionRunAdmin (get_urls). Tenancy first: an assembly,
run or respondent outside the user's assemblies is a 404; inside them, a
missing permission is a 403 (``assemblies.access.organiser_assembly``).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.access import organiser_assembly
from assemblies.admin_base import TenantModelAdmin
from assemblies.selectors import assemblies_for_organiser
from config.celery import app as celery_app
from lottery.models import (
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)

from . import selectors, services
from .letters import selected_letter_pdf

VIEW = "lottery.view_recruitment"
RUN = "lottery.run_selection"
NAMES = "assemblies.see_personal_data"


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@admin.register(SelectionRun)
class SelectionRunAdmin(TenantModelAdmin):
    view_perm = VIEW
    manage_perm = RUN
    list_display = ["__str__", "assembly", "kind", "status", "min_probability_display", "open_link"]
    list_filter = ["kind", "status"]
    list_select_related = ["assembly"]
    change_list_template = "admin/lottery/selectionrun/change_list.html"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("bundle")

    @admin.display(description=_("minimum probability"))
    def min_probability_display(self, obj: SelectionRun) -> str:
        return "—" if obj.min_probability is None else f"{100 * obj.min_probability:.2f} %"

    @admin.display(description=_("open"))
    def open_link(self, obj: SelectionRun) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:lottery_selectionrun_run", args=[obj.pk]), _("Open")
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # runs are started from the selection screen, with its idempotency key

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        self._require_visible(request, object_id)
        if object_id is None:
            raise Http404
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_run", args=[object_id]))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        visible = assemblies_for_organiser(request.user).order_by("title")
        return super().changelist_view(request, {**(extra_context or {}), "selection_assemblies": visible})

    # --- URLs ------------------------------------------------------------------
    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("assembly/<int:pk>/", view(self.assembly_view), name="lottery_selectionrun_assembly"),
            path(
                "assembly/<int:pk>/quotas/",
                view(self.quotas_view),
                name="lottery_selectionrun_quotas",
            ),
            path("assembly/<int:pk>/start/", view(self.start_view), name="lottery_selectionrun_start"),
            path(
                "assembly/<int:pk>/finalise/",
                view(self.finalise_view),
                name="lottery_selectionrun_finalise",
            ),
            path("<int:object_id>/run/", view(self.run_view), name="lottery_selectionrun_run"),
            path("<int:object_id>/progress/", view(self.progress_view), name="lottery_selectionrun_progress"),
            path("<int:object_id>/commit/", view(self.commit_view), name="lottery_selectionrun_commit"),
            path("<int:object_id>/draw/", view(self.draw_view), name="lottery_selectionrun_draw"),
            path("<int:object_id>/bundle.json", view(self.bundle_view), name="lottery_selectionrun_bundle"),
            path(
                "respondent/<int:respondent_id>/letter.pdf",
                view(self.letter_view),
                name="lottery_selectionrun_letter",
            ),
            path(
                "respondent/<int:respondent_id>/replace/",
                view(self.replace_view),
                name="lottery_selectionrun_replace",
            ),
            path(
                "respondent/<int:respondent_id>/withdraw/",
                view(self.withdraw_view),
                name="lottery_selectionrun_withdraw",
            ),
            *super().get_urls(),
        ]

    # --- lookups (404 outside the tenant, 403 for a missing permission) ---------
    def _run(self, request: HttpRequest, run_id: int, perm: str = VIEW) -> SelectionRun:
        run = get_object_or_404(
            SelectionRun.objects.filter(
                assembly__in=assemblies_for_organiser(request.user).values("pk")
            ).select_related("assembly", "assembly__organisation", "replaces"),
            pk=run_id,
        )
        _require(request, perm, run.assembly)
        return run

    def _respondent(self, request: HttpRequest, respondent_id: int, perm: str) -> Respondent:
        respondent = get_object_or_404(
            Respondent.objects.filter(
                assembly__in=assemblies_for_organiser(request.user).values("pk")
            ).select_related("assembly"),
            pk=respondent_id,
        )
        _require(request, perm, respondent.assembly)
        return respondent

    def _context(self, request: HttpRequest, title: Any, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.opts, **extra}

    @staticmethod
    def _post_only(request: HttpRequest) -> HttpResponse | None:
        return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])

    # --- screens -----------------------------------------------------------------
    def assembly_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        assembly = organiser_assembly(request, perm=VIEW, pk=pk)
        see_names = request.user.has_perm(NAMES, assembly)
        people = (
            Respondent.objects.filter(
                assembly=assembly,
                status__in=[
                    RespondentStatus.SELECTED,
                    RespondentStatus.CONFIRMED,
                    RespondentStatus.DECLINED,
                    RespondentStatus.WITHDRAWN,
                ],
            )
            .only("pk", "pseudonym", "first_name", "last_name", "status", "assembly_id")
            .order_by("status", "pseudonym")
        )
        replaced = set(
            SelectionRun.objects.filter(assembly=assembly, replaces__isnull=False)
            .exclude(status=DrawStatus.FAILED)
            .values_list("replaces_id", flat=True)
        )
        reserves = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).order_by(
            "reserve_position"
        )
        recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
        context = self._context(
            request,
            assembly.title,
            subtitle=_("Selection"),
            assembly=assembly,
            runs=selectors.runs_for(assembly),
            can_run=request.user.has_perm(RUN, assembly),
            can_finalise=request.user.has_perm("lottery.finalise_panel", assembly),
            see_names=see_names,
            people=people,
            replaced=replaced,
            reserves=reserves.only("pk", "pseudonym", "first_name", "last_name", "reserve_position"),
            counts=selectors.confirmation_counts(assembly),
            vacant=services.vacant_seats(assembly),
            recruitment=recruitment,
            pool_size=Respondent.objects.filter(assembly=assembly, status__in=services.FRESH_POOL).count(),
            published=SelectionRun.objects.filter(
                assembly=assembly,
                kind=RunKind.SELECTION,
                status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN),
            ).exists(),
            request_key=secrets.token_hex(16),
            # Without a worker (the laptop demo) the run computes inside this
            # request: say so, since no progress can be shown meanwhile.
            runs_inline=bool(celery_app.conf.task_always_eager),
            time_limit=settings.SELECTION_TIME_LIMIT,
        )
        return TemplateResponse(request, "admin/lottery/selectionrun/assembly.html", context)

    def quotas_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        assembly = organiser_assembly(request, perm=VIEW, pk=pk)
        context = self._context(
            request,
            assembly.title,
            subtitle=_("Quotas and feasibility"),
            assembly=assembly,
            feasibility=selectors.quota_feasibility(assembly),
        )
        return TemplateResponse(request, "admin/lottery/selectionrun/quotas.html", context)

    def start_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        assembly = organiser_assembly(request, perm=RUN, pk=pk)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            run = services.selection_run_start(
                assembly=assembly, request_key=request.POST.get("request_key", ""), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]))
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_run", args=[run.pk]))

    def _run_context(self, request: HttpRequest, run: SelectionRun) -> dict[str, Any]:
        stats = run.bundle.get("stats", {}) if run.bundle else {}
        n = len(run.bundle.get("pool", [])) if run.bundle else 0
        probabilities = run.bundle.get("probabilities", {}) if run.bundle else {}
        chart = selectors.probability_chart(probabilities, run.panel_size) if probabilities else None
        pct = selectors.percent
        return {
            "run": run,
            "assembly": run.assembly,
            "stats": stats,
            "figures": {
                "leximin": pct(run.min_probability),
                "baseline": pct(run.panel_size / n) if n else "—",
                "legacy": selectors.estimate_percent(run.legacy_min_probability, stats.get("legacy_runs")),
                "lottery": pct(stats.get("lottery_min_probability")),
            },
            "n": n,
            "baseline": (run.panel_size / n) if n else None,
            "chart": chart,
            "composition": selectors.composition(run.assembly, run) if run.status == DrawStatus.DRAWN else [],
            "can_run": request.user.has_perm(RUN, run.assembly),
            "active": run.status in services.ACTIVE,
        }

    def run_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._run(request, object_id)
        context = self._context(
            request,
            run.assembly.title,
            subtitle=f"{run.get_kind_display()} · {formats.date_format(run.created_at, 'DATETIME_FORMAT')}",
            **self._run_context(request, run),
        )
        return TemplateResponse(request, "admin/lottery/selectionrun/run.html", context)

    def progress_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._run(request, object_id)
        response = TemplateResponse(
            request,
            "admin/lottery/selectionrun/_progress.html",
            {"run": run, "active": run.status in services.ACTIVE},
        )
        if run.status not in services.ACTIVE and request.headers.get("HX-Request"):
            # Done: reload the whole page to show the result and the next step.
            response["HX-Refresh"] = "true"
        return response

    def commit_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._run(request, object_id, RUN)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            services.selection_publish_commitment(
                run=run, randomness_source=request.POST.get("randomness_source", ""), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The commitment is published. Now obtain the public randomness and draw.")
            )
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_run", args=[run.pk]))

    def draw_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._run(request, object_id, RUN)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            services.selection_draw(run=run, randomness=request.POST.get("randomness", ""), by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The panel is drawn. The selected respondents are being emailed."))
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_run", args=[run.pk]))

    def bundle_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        run = self._run(request, object_id)
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

    def letter_view(self, request: HttpRequest, respondent_id: int) -> HttpResponse:
        respondent = self._respondent(request, respondent_id, NAMES)
        if respondent.status != RespondentStatus.SELECTED or not respondent.confirm_token:
            raise Http404
        response = HttpResponse(selected_letter_pdf(respondent), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letter-{respondent.pseudonym}.pdf"'
        return response

    def replace_view(self, request: HttpRequest, respondent_id: int) -> HttpResponse:
        respondent = self._respondent(request, respondent_id, RUN)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            run = services.replacement_start(
                respondent=respondent, by=request.user, request_key=request.POST.get("request_key", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse("admin:lottery_selectionrun_assembly", args=[respondent.assembly_id])
            )
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_run", args=[run.pk]))

    def withdraw_view(self, request: HttpRequest, respondent_id: int) -> HttpResponse:
        respondent = self._respondent(request, respondent_id, RUN)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            services.respondent_withdraw(respondent=respondent, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(
            reverse("admin:lottery_selectionrun_assembly", args=[respondent.assembly_id])
        )

    def finalise_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        assembly = organiser_assembly(request, perm="lottery.finalise_panel", pk=pk)
        if (refused := self._post_only(request)) is not None:
            return refused
        try:
            services.panel_finalise(assembly=assembly, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The panel is final. Replacements are closed."))
        return HttpResponseRedirect(reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]))
