"""Invitation rounds in the admin: the list, the upload form and the counted
delete. The round's own screens (progress, draw, letters, downloads) are in
``lottery.invitations.screens``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from lottery.models import InvitationRound
from lottery.rules import MANAGE_RECRUITMENT, VIEW_RECRUITMENT

from . import services

MANAGE = MANAGE_RECRUITMENT
VIEW = VIEW_RECRUITMENT


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
        "import_state",
        "rows_imported",
        "draw_size",
        "letters_state",
        "open",
    ]
    list_filter = ["import_job__status", "letters_job__status"]
    list_select_related = ["assembly", "import_job", "letters_job"]
    search_fields = ["name"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InvitationRoundAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["name", "assembly", "address_file", "region_column"] if obj is None else ["name"]

    @admin.display(description=_("import"), ordering="import_job__status")
    def import_state(self, obj: InvitationRound) -> Any:
        return obj.import_job.get_status_display() if obj.import_job else _("Not started")

    @admin.display(description=_("letters"), ordering="letters_job__status")
    def letters_state(self, obj: InvitationRound) -> Any:
        return obj.letters_job.get_status_display() if obj.letters_job else _("Not started")

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
