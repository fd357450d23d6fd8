"""Organisers set up working groups and recommendations (imported by recommendations.admin).

A recommendation added here gets the assembly's next number and its first
version; a change to its text saves a new version, as in the portal.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.models import Member, MemberRole
from assemblies.selectors import assemblies_for_organiser
from deliberation.models import Evidence, Topic
from recommendations.models.drafting import Recommendation, WorkingGroup
from recommendations.rules import MANAGE_RECOMMENDATIONS, MODERATE, VIEW_RECOMMENDATIONS

from . import services


class _Scoped(TenantModelAdmin):
    view_perm = VIEW_RECOMMENDATIONS
    manage_perm = MANAGE_RECOMMENDATIONS

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        visible = assemblies_for_organiser(request.user).values("pk")
        model = db_field.related_model
        if model in (Member, Topic, Evidence) and not request.user.is_superuser:
            kwargs["queryset"] = model.objects.filter(assembly__in=visible)
        if model is Member:
            kwargs.setdefault("queryset", Member.objects.all())
            kwargs["queryset"] = kwargs["queryset"].active().select_related("assembly")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class _SameAssembly(forms.ModelForm):
    """Members, topics and evidence must belong to the row's assembly."""

    related = ("members", "topics", "evidence")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assembly = data.get("assembly") or getattr(self.instance, "assembly", None)
        if assembly is None:
            return data
        for name in self.related:
            chosen = data.get(name)
            if chosen is not None and any(item.assembly_id != assembly.pk for item in chosen):
                self.add_error(name, _("Choose only from this assembly."))
        group = data.get("working_group")
        if group is not None and group.assembly_id != assembly.pk:
            self.add_error("working_group", _("Choose a working group of this assembly."))
        return data


class WorkingGroupForm(_SameAssembly):
    class Meta:
        model = WorkingGroup
        fields = ["assembly", "name", "facilitator", "members", "topics"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assembly, facilitator = data.get("assembly"), data.get("facilitator")
        if assembly is not None and facilitator is not None and not _may_facilitate(facilitator, assembly):
            self.add_error(
                "facilitator", _("Choose someone of this assembly's team or a facilitator member.")
            )
        return data


def _may_facilitate(user: Any, assembly: Any) -> bool:
    return bool(
        user.has_perm(MODERATE, assembly)
        or Member.objects.active().filter(assembly=assembly, user=user, role=MemberRole.FACILITATOR).exists()
    )


@admin.register(WorkingGroup)
class WorkingGroupAdmin(_Scoped):
    form = WorkingGroupForm
    list_display = ["name", "assembly", "facilitator"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    filter_horizontal = ["members", "topics"]
    list_select_related = ["assembly", "facilitator"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "facilitator":
            # Only people of the organiser's own teams and facilitator members: never every account.
            visible = assemblies_for_organiser(request.user)
            users = get_user_model().objects.filter(
                Q(team_memberships__team__organisation__assemblies__in=visible.values("pk"))
                | Q(
                    assembly_memberships__assembly__in=visible.values("pk"),
                    assembly_memberships__role=MemberRole.FACILITATOR,
                )
            )
            kwargs["queryset"] = users.distinct().order_by("email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecommendationForm(_SameAssembly):
    number = forms.IntegerField(
        label=_("number"), required=False, min_value=1, help_text=_("Leave empty for the next number.")
    )

    class Meta:
        model = Recommendation
        fields = [
            "assembly", "number", "working_group", "status", "title", "text", "rationale", "impact",
            "addressee", "level", "topics", "evidence", "table_output_ids", "title_translations",
            "text_translations",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assembly, number = data.get("assembly"), data.get("number")
        if assembly is not None and number:
            taken = Recommendation.objects.filter(assembly=assembly, number=number).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("number", _("This assembly already has a recommendation with this number."))
        return data


@admin.register(Recommendation)
class RecommendationAdmin(_Scoped):
    form = RecommendationForm
    list_display = ["number", "title", "assembly", "working_group", "status", "version"]
    list_display_links = ["number", "title"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["title"]
    list_select_related = ["assembly", "working_group"]
    filter_horizontal = ["topics", "evidence"]
    readonly_fields = ["version", "from_amendment"]
    fieldsets = [
        (None, {"fields": ["assembly", "number", "working_group", "status", "version", "from_amendment"]}),
        (_("Text"), {"fields": ["title", "text", "rationale", "impact"]}),
        (_("Addressed to"), {"fields": ["addressee", "level"]}),
        (_("Drawn from"), {"fields": ["topics", "evidence", "table_output_ids"]}),
        (_("Translations"), {"fields": ["title_translations", "text_translations"], "classes": ["collapse"]}),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "working_group" and not request.user.is_superuser:
            kwargs["queryset"] = WorkingGroup.objects.filter(
                assembly__in=assemblies_for_organiser(request.user).values("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        versioned = [name for name in services.VERSIONED if name in form.changed_data]
        if not change:
            if not obj.number:
                obj.number = services.next_number(obj.assembly)
            obj.version = 1
        elif versioned:
            obj.version += 1
        super().save_model(request, obj, form, change)
        if not change or versioned:
            services._record_version(obj, by=request.user, note=str(_("Edited by the organisers")))
