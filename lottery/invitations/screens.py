"""Organiser screens for one invitation round: its jobs' progress, draw, letters and the
downloads (mounted under /admin/lottery/invitationround/ by ``lottery.plugin``).
Uploading, listing and deleting rounds stay on ``InvitationRoundAdmin``."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies.confirm import ConfirmActionMixin, Confirmation
from assemblies.jobs import job_context
from assemblies.registry import Route
from assemblies.screens import ActionMixin, ObjectScreen
from lottery.models import InvitationRound, JobStatus, LetterBatch
from lottery.rules import MANAGE_RECRUITMENT, VIEW_RECRUITMENT

from . import services


class RoundScreen(ObjectScreen):
    model = InvitationRound
    permission = VIEW_RECRUITMENT
    opts_model = InvitationRound
    select_related = ("import_job", "letters_job")

    def get_title(self) -> Any:
        return self.object.name

    def get_subtitle(self) -> Any:
        return _("Invitation round")

    def redirect_url(self) -> str:
        return reverse("admin:lottery_invitationround_detail", args=[self.object.pk])

    def round_context(self) -> dict[str, Any]:
        round_ = self.object
        imported = services.import_done(round_)
        regions = services.region_counts(round_) if imported else {}
        return {
            "round": round_,
            "can_manage": self.may(MANAGE_RECRUITMENT),
            "import_job": job_context(round_.import_job),
            "letters_job": job_context(round_.letters_job),
            "imported": imported,
            "letters_done": services.letters_done(round_),
            "regions": sorted(regions.items()) if round_.region_column else [],
            "batches": list(LetterBatch.objects.filter(round=round_).order_by("number")),
        }


class RoundDetailScreen(RoundScreen):
    template_name = "admin/lottery/invitationround/detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(**self.round_context())


class RestartImportScreen(ActionMixin, RoundScreen):
    permission = MANAGE_RECRUITMENT

    def act(self) -> Any:
        services.invitation_round_import_restart(round=self.object, by=self.request.user)
        return _("The import starts again.")


class DrawScreen(ActionMixin, RoundScreen):
    permission = MANAGE_RECRUITMENT

    def act(self) -> Any:
        post = self.request.POST
        seed = post.get("seed", "")
        if post.get("mode", "total") == "regions":
            per_region = {
                key[len("region:") :]: str(post.get(key, "")).strip() or "0"
                for key in post
                if key.startswith("region:")
            }
            n = services.invitation_round_draw(
                round=self.object, per_region=per_region, seed=seed, by=self.request.user
            )
        else:
            raw = post.get("size", "").strip().replace(",", "").replace(" ", "")
            if not raw.isdigit():
                raise ValidationError(
                    _("Enter the number of addresses to invite as a whole number, e.g. 30000.")
                )
            n = services.invitation_round_draw(
                round=self.object, size=int(raw), seed=seed, by=self.request.user
            )
        return _("%(n)s addresses were drawn. Each has a registration code.") % {"n": n}


class LettersScreen(ConfirmActionMixin, RoundScreen):
    """Making the letters: at once the first time; making them again replaces
    the files already made, so that asks first."""

    permission = MANAGE_RECRUITMENT

    def needs_confirmation(self) -> bool:
        return LetterBatch.objects.filter(round=self.object).exists()

    def confirmation(self) -> Confirmation:
        round_ = self.object
        files = LetterBatch.objects.filter(round=round_).count()
        letters = round_.invitations.count()
        return Confirmation(
            _("Make the letters again?"),
            consequences=[
                ngettext("%(n)s letter is made again.", "%(n)s letters are made again.", letters)
                % {"n": letters},
                ngettext(
                    "The letter file made before is deleted and replaced.",
                    "The %(n)s letter files made before are deleted and replaced.",
                    files,
                )
                % {"n": files},
                _("Each address keeps its registration code, so letters already posted still work."),
                _("Nobody is emailed."),
            ],
            final=_(
                "The files made before cannot be brought back (copies already downloaded are not affected)."
            ),
            button=_("Make the letters again"),
        )

    def act(self) -> Any:
        n = services.invitation_round_letters_start(round=self.object, by=self.request.user)
        return ngettext(
            "The letters are being made in %(n)s batch.", "The letters are being made in %(n)s batches.", n
        ) % {"n": n}


class BatchPdfScreen(RoundScreen):
    permission = MANAGE_RECRUITMENT  # addresses and codes: not for viewers

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        batch = get_object_or_404(
            LetterBatch, round=self.object, number=kwargs["number"], status=JobStatus.DONE
        )
        if not batch.pdf:
            raise Http404
        return FileResponse(
            batch.pdf.open("rb"),
            as_attachment=True,
            filename=services.letters_pdf_name(batch),
            content_type="application/pdf",
        )


class LettersZipScreen(RoundScreen):
    permission = MANAGE_RECRUITMENT  # addresses and codes: not for viewers

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        round_ = self.object
        if not services.letters_done(round_):
            raise Http404
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        services.write_letters_zip(round_, target)
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename=f"letters-round-{round_.pk}.zip",
            content_type="application/zip",
        )


class PrintHouseCsvScreen(RoundScreen):
    permission = MANAGE_RECRUITMENT  # addresses and codes: not for viewers

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        round_ = self.object
        if round_.drawn_at is None:
            raise Http404
        response = StreamingHttpResponse(
            services.csv_lines(services.print_house_rows(round_)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="print-house-round-{round_.pk}.csv"'
        return response


ROUTES = [
    Route("<int:pk>/recruitment/", RoundDetailScreen, "lottery_invitationround_detail"),
    Route("<int:pk>/recruitment/import/", RestartImportScreen, "lottery_invitationround_import"),
    Route("<int:pk>/recruitment/draw/", DrawScreen, "lottery_invitationround_draw"),
    Route("<int:pk>/recruitment/letters/", LettersScreen, "lottery_invitationround_letters"),
    Route(
        "<int:pk>/recruitment/letters/<int:number>.pdf", BatchPdfScreen, "lottery_invitationround_batch_pdf"
    ),
    Route("<int:pk>/recruitment/letters.zip", LettersZipScreen, "lottery_invitationround_letters_zip"),
    Route("<int:pk>/recruitment/print-house.csv", PrintHouseCsvScreen, "lottery_invitationround_print_csv"),
]
