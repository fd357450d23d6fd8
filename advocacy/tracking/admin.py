"""Responses and institutions in the admin. Responses are listed (with the
overdue flag) and recorded on the tracker's screens, so that every change
goes through the services and into the status history; institutions are a
plain form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.rules import SEE_PERSONAL_DATA

from ..models import Follower, Institution, Response, ResponseStatus
from ..rules import MANAGE_ADVOCACY, VIEW_ADVOCACY
from . import selectors


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        overdue = Q(status=ResponseStatus.NO_RESPONSE, due_on__lt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(Response)
class ResponseAdmin(TenantModelAdmin):
    assembly_path = "recommendation__assembly"
    view_perm = VIEW_ADVOCACY
    manage_perm = MANAGE_ADVOCACY
    list_display = [
        "recommendation_display",
        "assembly_display",
        "status",
        "institution",
        "due_on",
        "overdue_flag",
        "is_published",
        "open_link",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "is_published",
        ("recommendation__assembly", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["recommendation", "recommendation__assembly", "institution"]
    search_fields = ["recommendation__title"]
    ordering = ["recommendation__assembly", "recommendation__number"]

    @admin.display(description=_("recommendation"), ordering="recommendation__number")
    def recommendation_display(self, obj: Response) -> str:
        return f"{obj.recommendation.number}. {obj.recommendation.title}"

    @admin.display(description=_("assembly"))
    def assembly_display(self, obj: Response) -> str:
        return obj.recommendation.assembly.title

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj: Response) -> bool:
        return (
            selectors.is_overdue(obj)
            if obj.is_published or obj.status == ResponseStatus.NO_RESPONSE
            else False
        )

    @admin.display(description=_("open"))
    def open_link(self, obj: Response) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:advocacy_response_recommendation", args=[obj.recommendation_id]),
            _("Open"),
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # a response belongs to an adopted recommendation: recorded on the tracker screen

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
        response = self.get_queryset(request).get(pk=object_id)
        return HttpResponseRedirect(
            reverse("admin:advocacy_response_recommendation", args=[response.recommendation_id])
        )


@admin.register(Institution)
class InstitutionAdmin(TenantModelAdmin):
    view_perm = VIEW_ADVOCACY
    manage_perm = MANAGE_ADVOCACY
    list_display = ["name", "assembly", "contact_name", "website"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assembly"]
    search_fields = ["name"]
    fields = ["assembly", "name", "contact_name", "contact_email", "website"]


@admin.register(Follower)
class FollowerAdmin(TenantModelAdmin):
    """Who follows (email addresses: personal data), for the organisers' information; read only."""

    view_perm = SEE_PERSONAL_DATA
    manage_perm = MANAGE_ADVOCACY
    list_display = ["email", "assembly", "recommendation", "confirmed", "unsubscribed_at"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assembly", "recommendation"]
    readonly_fields = [
        "assembly",
        "recommendation",
        "email",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    fields = readonly_fields  # type: ignore[assignment]

    @admin.display(description=_("confirmed"), boolean=True)
    def confirmed(self, obj: Follower) -> bool:
        return obj.confirmed_at is not None

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # people follow through the double opt-in

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # they unsubscribe with the link in every email


__all__ = ["FollowerAdmin", "InstitutionAdmin", "ResponseAdmin"]
