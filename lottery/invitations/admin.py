"""Organiser screens for invitation rounds: upload, progress, draw, letters, downloads."""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from lottery.models import InvitationRound, JobStatus, LetterBatch

from . import services

MANAGE = "lottery.manage_recruitment"
VIEW = "lottery.view_recruitment"


class InvitationRoundAddForm(forms.ModelForm):
    class Meta:
        model = InvitationRound
        fields = ["name", "assembly", "address_file", "region_column"]
        help_texts = {
            "address_file": _(
                "A CSV file in UTF-8 with a header line. Required column: the first address line "
                "(address1, address_line_1, line1 or address). Optional: address2, town, postcode."
            ),
            "region_column": _("The column that holds the region, if you will draw a number per region."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address_file"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        file = data.get("address_file")
        if file:
            try:
                services.check_address_file(file=file, region_column=data.get("region_column") or "")
            except ValidationError as exc:
                self.add_error("address_file", exc)
        return data


@admin.register(InvitationRound)
class InvitationRoundAdmin(TenantModelAdmin):
    view_perm = VIEW
    manage_perm = MANAGE
    list_display = [
        "name",
        "assembly",
        "import_status",
        "rows_imported",
        "draw_size",
        "letters_status",
        "open",
    ]
    list_filter = ["import_status", "letters_status"]
    list_select_related = ["assembly"]
    search_fields = ["name"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InvitationRoundAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["name", "assembly", "address_file", "region_column"] if obj is None else ["name"]

    @admin.display(description=_("screen"))
    def open(self, obj: InvitationRound) -> str:
        url = reverse("admin:lottery_invitationround_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def save_model(self, request: HttpRequest, obj: InvitationRound, form: Any, change: bool) -> None:
        if not request.user.has_perm(MANAGE, obj.assembly):
            raise PermissionDenied
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.invitation_round_upload(round=obj, by=request.user)

    def response_add(self, request: HttpRequest, obj: InvitationRound, post_url_continue: Any = None) -> Any:
        messages.success(request, _("The file is being imported. This page shows the progress."))
        return HttpResponseRedirect(reverse("admin:lottery_invitationround_detail", args=[obj.pk]))

    # --- deleting: counted, not listed; one DELETE per table ----------------
    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        summary: list[Any] = []
        totals = {"addresses": 0, "invitations": 0, "registered": 0, "letter_files": 0}
        for round_ in objs:
            counts = services.round_contents(round_)
            for key, value in counts.items():
                totals[key] += value
            summary.append(
                [
                    _("Invitation round: %(name)s") % {"name": round_.name},
                    [
                        _("%(n)s addresses") % {"n": counts["addresses"]},
                        _("%(n)s invitations and their registration codes") % {"n": counts["invitations"]},
                        _("%(n)s files of letters") % {"n": counts["letter_files"]},
                        _("%(n)s people who registered keep their registration; their code stops working")
                        % {"n": counts["registered"]},
                    ],
                ]
            )
        model_count = {
            str(_("invitation rounds")): len(summary),
            str(_("addresses")): totals["addresses"],
            str(_("invitations")): totals["invitations"],
            str(_("files of letters")): totals["letter_files"],
        }
        return [item for pair in summary for item in pair], model_count, set(), []

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        round_ = self.get_object(request, object_id)
        if request.method == "POST" and round_ is not None and services.round_busy(round_):
            messages.error(
                request,
                _("This round is being worked on (address import or letters). Wait for it to finish."),
            )
            return HttpResponseRedirect(reverse("admin:lottery_invitationround_detail", args=[round_.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: InvitationRound) -> None:
        services.invitation_round_delete(round=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for round_ in queryset:
            try:
                services.invitation_round_delete(round=round_, by=request.user)
            except ValidationError as error:
                messages.error(request, f"{round_.name}: {error.messages[0]}")

    # --- custom screens -----------------------------------------------------
    def get_urls(self) -> list[Any]:
        def view(fn: Any, route: str, name: str) -> Any:
            return path(route, self.admin_site.admin_view(fn), name=f"lottery_invitationround_{name}")

        return [
            view(self.detail_view, "<int:pk>/recruitment/", "detail"),
            view(self.progress_view, "<int:pk>/recruitment/progress/", "progress"),
            view(self.restart_import_view, "<int:pk>/recruitment/import/", "import"),
            view(self.draw_view, "<int:pk>/recruitment/draw/", "draw"),
            view(self.letters_view, "<int:pk>/recruitment/letters/", "letters"),
            view(self.batch_pdf_view, "<int:pk>/recruitment/letters/<int:number>.pdf", "batch_pdf"),
            view(self.letters_zip_view, "<int:pk>/recruitment/letters.zip", "letters_zip"),
            view(self.print_csv_view, "<int:pk>/recruitment/print-house.csv", "print_csv"),
            *super().get_urls(),
        ]

    def _round(self, request: HttpRequest, pk: int, perm: str = VIEW) -> InvitationRound:
        """The round if the user's tenant has it (else 404) and ``perm`` allows (else 403)."""
        round = get_object_or_404(self.get_queryset(request).select_related("assembly"), pk=pk)
        if not request.user.has_perm(perm, round.assembly):
            raise PermissionDenied
        return round

    def _context(self, request: HttpRequest, round: InvitationRound) -> dict[str, Any]:
        can_manage = request.user.has_perm(MANAGE, round.assembly)
        regions = services.region_counts(round) if round.import_status == JobStatus.DONE else {}
        busy = round.import_status in services.RUNNING or round.letters_status in services.RUNNING
        total = round.import_bytes_total or 0
        return {
            **self.admin_site.each_context(request),
            "title": round.name,
            "subtitle": _("Invitation round"),
            "opts": self.opts,
            "round": round,
            "assembly": round.assembly,
            "can_manage": can_manage,
            "busy": busy,
            "import_percent": min(100, round.import_bytes_read * 100 // total) if total else 0,
            "letters_percent": round.letters_done * 100 // round.letters_total if round.letters_total else 0,
            "regions": sorted(regions.items()) if round.region_column else [],
            "batches": list(LetterBatch.objects.filter(round=round).order_by("number")),
        }

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        round = self._round(request, pk)
        return TemplateResponse(
            request, "admin/lottery/invitationround/detail.html", self._context(request, round)
        )

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        round = self._round(request, pk)
        context = self._context(request, round)
        response = TemplateResponse(request, "admin/lottery/invitationround/_progress.html", context)
        if not context["busy"]:
            # The work ended while the page polled: reload it to show the next step.
            response["HX-Refresh"] = "true"
        return response

    def _post_action(self, request: HttpRequest, pk: int, action: Any, done: Any) -> HttpResponse:
        round = self._round(request, pk)  # 404 for another tenant, first
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(MANAGE, round.assembly):
            raise PermissionDenied
        try:
            result = action(round)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done(result))
        return HttpResponseRedirect(reverse("admin:lottery_invitationround_detail", args=[pk]))

    def restart_import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._post_action(
            request,
            pk,
            lambda r: services.invitation_round_import_restart(round=r, by=request.user),
            lambda _r: _("The import starts again."),
        )

    def draw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def draw(round: InvitationRound) -> int:
            mode = request.POST.get("mode", "total")
            seed = request.POST.get("seed", "")
            if mode == "regions":
                per_region = {
                    key[len("region:") :]: str(request.POST.get(key, "")).strip() or "0"
                    for key in request.POST
                    if key.startswith("region:")
                }
                return services.invitation_round_draw(
                    round=round, per_region=per_region, seed=seed, by=request.user
                )
            raw = request.POST.get("size", "").strip().replace(",", "").replace(" ", "")
            if not raw.isdigit():
                raise ValidationError(
                    _("Enter the number of addresses to invite as a whole number, e.g. 30000.")
                )
            return services.invitation_round_draw(round=round, size=int(raw), seed=seed, by=request.user)

        return self._post_action(
            request,
            pk,
            draw,
            lambda n: _("%(n)s addresses were drawn. Each has a registration code.") % {"n": n},
        )

    def letters_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._post_action(
            request,
            pk,
            lambda r: services.invitation_round_letters_start(round=r, by=request.user),
            lambda n: _("The letters are being made in %(n)s batches.") % {"n": n},
        )

    def batch_pdf_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
        round = self._round(request, pk, MANAGE)  # addresses and codes: not for viewers
        batch = get_object_or_404(LetterBatch, round=round, number=number, status=JobStatus.DONE)
        if not batch.pdf:
            raise Http404
        return FileResponse(
            batch.pdf.open("rb"),
            as_attachment=True,
            filename=services.letters_pdf_name(batch),
            content_type="application/pdf",
        )

    def letters_zip_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        round = self._round(request, pk, MANAGE)  # addresses and codes: not for viewers
        if round.letters_status != JobStatus.DONE:
            raise Http404
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        services.write_letters_zip(round, target)
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename=f"letters-round-{round.pk}.zip",
            content_type="application/zip",
        )

    def print_csv_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        round = self._round(request, pk, MANAGE)  # addresses and codes: not for viewers
        if round.drawn_at is None:
            raise Http404
        response = StreamingHttpResponse(
            services.csv_lines(services.print_house_rows(round)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="print-house-round-{round.pk}.csv"'
        return response
