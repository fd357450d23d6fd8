"""Selection runs in the admin: the list only. The screens themselves
(quotas, runs, commitment, draw, confirmations, replacements, letters) are in
``lottery.selection.screens``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.selectors import assemblies_for_organiser
from lottery.models import (
    SelectionRun,
)
from lottery.rules import RUN_SELECTION, VIEW_RECRUITMENT


@admin.register(SelectionRun)
class SelectionRunAdmin(TenantModelAdmin):
    view_perm = VIEW_RECRUITMENT
    manage_perm = RUN_SELECTION
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
