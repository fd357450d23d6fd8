"""Organiser admin of the people part (imported by advocacy.admin): spokespeople
(training recorded here), media requests (sent from their screen), affiliates
and their reports, media items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from advocacy.models import Affiliate, AffiliateReport, MediaInvite, MediaItem, MediaRequest, Spokesperson
from advocacy.power.admin import AdvocacyAdmin, RulesInline, check_same_assembly
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.selectors import has_perm_anywhere


@admin.register(Spokesperson)
class SpokespersonAdmin(AdvocacyAdmin):
    # Which members speak for the assembly is about named people: personal data.
    view_perm = SEE_PERSONAL_DATA
    assembly_path = "member__assembly"
    list_display = ["member", "is_available", "media", "training_done_on"]
    # The dashboard links here filtered to one assembly (member__assembly__id__exact).
    list_filter = [("member__assembly", admin.RelatedOnlyFieldListFilter), "is_available"]
    list_select_related = ["member__assembly"]
    fields = ["member", "is_available", "media", "recommendations", "training_done_on", "training_notes"]
    readonly_fields = ["member", "is_available", "media", "recommendations"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # members opt in themselves, in the portal


class InviteInline(RulesInline):
    model = MediaInvite
    fields = ["spokesperson", "status", "answered_at"]
    readonly_fields = ["spokesperson", "status", "answered_at"]
    extra = 0
    can_delete = False

    view_perm = SEE_PERSONAL_DATA

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MediaRequest)
class MediaRequestAdmin(AdvocacyAdmin):
    view_perm = SEE_PERSONAL_DATA  # its answers name the members
    list_display = ["title", "kind", "outlet", "starts_at", "assembly"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["assembly"]
    fields = ["assembly", "kind", "title", "outlet", "medium", "starts_at", "place", "details"]
    readonly_fields = ["assembly"]
    inlines = [InviteInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # sent from the "Media requests" screen, which emails the spokespeople


class ReportInline(RulesInline):
    model = AffiliateReport
    fields = ["created_at", "text", "url", "is_public"]
    readonly_fields = ["created_at"]
    extra = 0


class AffiliateForm(forms.ModelForm):
    class Meta:
        model = Affiliate
        fields = [
            "assembly",
            "name",
            "organisation",
            "sector",
            "email",
            "website",
            "commitment",
            "recommendations",
            "status",
            "signed_on",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_same_assembly(self, "recommendations")
        return data


@admin.register(Affiliate)
class AffiliateAdmin(AdvocacyAdmin):
    form = AffiliateForm
    list_display = ["name", "organisation", "sector", "status", "signed_on", "last_reminded_at", "assembly"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "sector", "status"]
    list_select_related = ["assembly"]
    search_fields = ["name", "organisation"]
    inlines = [ReportInline]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """The affiliate's email is for those who may see personal data."""
        fields = list(super().get_fields(request, obj))
        allowed = (
            request.user.has_perm(SEE_PERSONAL_DATA, obj.assembly)
            if obj is not None
            else has_perm_anywhere(request.user, SEE_PERSONAL_DATA)
        )
        return fields if allowed else [f for f in fields if f != "email"]

    def save_model(self, request: HttpRequest, obj: Affiliate, form: Any, change: bool) -> None:
        import secrets

        if not obj.report_token:
            obj.report_token = secrets.token_urlsafe(24)
        super().save_model(request, obj, form, change)


class MediaItemForm(forms.ModelForm):
    class Meta:
        model = MediaItem
        fields = [
            "assembly",
            "title",
            "url",
            "outlet",
            "published_on",
            "reach",
            "tone",
            "recommendations",
            "tactics",
            "is_public",
            "internal_notes",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_same_assembly(self, "recommendations", "tactics")
        return data


@admin.register(MediaItem)
class MediaItemAdmin(AdvocacyAdmin):
    form = MediaItemForm
    list_display = ["title", "outlet", "published_on", "reach", "tone", "is_public", "assembly"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "tone", "is_public"]
    list_select_related = ["assembly"]
    search_fields = ["title", "outlet"]
    date_hierarchy = "published_on"
