"""Organiser admin of stakeholders (with their stances) and tactics (imported
by advocacy.admin). The map and pressure screens are in ``advocacy.power.screens``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from advocacy.models import Stakeholder, StakeholderStance, Tactic
from advocacy.rules import MANAGE_ADVOCACY, VIEW_ADVOCACY
from assemblies.admin_base import TenantModelAdmin
from assemblies.selectors import assemblies_for_organiser, has_perm_anywhere
from recommendations.models import Recommendation


class AdvocacyAdmin(TenantModelAdmin):
    """Advocacy's base: its permissions, and choices limited to the user's assemblies."""

    view_perm = VIEW_ADVOCACY
    manage_perm = MANAGE_ADVOCACY

    def _visible(self, request: HttpRequest) -> Any:
        return assemblies_for_organiser(request.user).values("pk")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        model = db_field.related_model
        if model is not None and model._meta.app_label in ("advocacy", "recommendations"):
            kwargs["queryset"] = _scoped(model, self._visible(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = _scoped(db_field.related_model, self._visible(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _scoped(model: Any, visible: Any) -> QuerySet[Any]:
    if model is Recommendation:
        return (
            Recommendation.objects.filter(assembly__in=visible)
            .select_related("assembly")
            .order_by("assembly", "number")
        )
    if hasattr(model, "assembly"):
        return model._default_manager.filter(assembly__in=visible).select_related("assembly")
    return model._default_manager.filter(member__assembly__in=visible).select_related("member__assembly")


def check_same_assembly(form: forms.ModelForm, *fields: str) -> None:
    """Every related row a form picked belongs to the form's assembly."""
    data = form.cleaned_data
    assembly = data.get("assembly") or getattr(form.instance, "assembly", None)
    if assembly is None:
        return
    for field in fields:
        value: Any = data.get(field)
        rows: list[Any] = (
            list(value) if hasattr(value, "__iter__") else ([value] if value is not None else [])
        )
        if any(getattr(row, "assembly_id", assembly.pk) != assembly.pk for row in rows):
            form.add_error(field, _("Choose only from this assembly."))


class StanceInlineForm(forms.ModelForm):
    class Meta:
        model = StakeholderStance
        fields = ["recommendation", "stance"]


class StanceFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        assembly = getattr(self.instance, "assembly", None) if self.instance.assembly_id else None
        for form in self.forms:
            rec = getattr(form, "cleaned_data", {}).get("recommendation")
            if assembly is not None and rec is not None and rec.assembly_id != assembly.pk:
                form.add_error("recommendation", _("Choose a recommendation of this assembly."))


class RulesInline(admin.TabularInline):
    """Inlines ask Django's model permissions, which organisers do not hold:
    advocacy's rules on the parent's assembly decide."""

    view_perm = VIEW_ADVOCACY
    manage_perm = MANAGE_ADVOCACY

    def _may(self, request: HttpRequest, obj: Any, perm: str) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return has_perm_anywhere(request.user, perm)
        assembly = getattr(obj, "assembly", None) or obj.member.assembly
        return bool(request.user.has_perm(perm, assembly))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, self.view_perm)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, self.manage_perm)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, self.manage_perm)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, self.manage_perm)


class StanceInline(RulesInline):
    model = StakeholderStance
    form = StanceInlineForm
    formset = StanceFormSet
    extra = 1

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Recommendation:
            visible = assemblies_for_organiser(request.user).values("pk")
            kwargs["queryset"] = _scoped(Recommendation, visible)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = ["assembly", "name", "kind", "role", "influence", "space", "level", "form", "internal_notes"]


@admin.register(Stakeholder)
class StakeholderAdmin(AdvocacyAdmin):
    form = StakeholderForm
    inlines = [StanceInline]
    list_display = ["name", "kind", "influence", "space", "level", "form", "stance_count", "assembly"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "space", "level", "form", "kind"]
    list_select_related = ["assembly"]
    search_fields = ["name", "role"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(n_stances=Count("stances"))

    @admin.display(description=_("stances"), ordering="n_stances")
    def stance_count(self, obj: Any) -> int:
        return int(getattr(obj, "n_stances", 0))


class TacticForm(forms.ModelForm):
    class Meta:
        model = Tactic
        fields = [
            "assembly",
            "title",
            "method",
            "target",
            "recommendations",
            "owner",
            "owner_name",
            "status",
            "starts_on",
            "ends_on",
            "outcome",
            "internal_notes",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_same_assembly(self, "target", "recommendations")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


@admin.register(Tactic)
class TacticAdmin(AdvocacyAdmin):
    form = TacticForm
    list_display = [
        "title",
        "kind",
        "method",
        "target",
        "status",
        "starts_on",
        "ends_on",
        "numbers",
        "assembly",
    ]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "kind", "method", "status"]
    list_select_related = ["assembly", "target"]
    search_fields = ["title", "outcome"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("recommendations")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "owner":
            from django.contrib.auth import get_user_model

            from assemblies.models import TeamMembership

            teams = assemblies_for_organiser(request.user).values("organisation")
            users = TeamMembership.objects.filter(team__organisation__in=teams).values("user")
            kwargs["queryset"] = get_user_model().objects.filter(pk__in=users)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("recommendations"))
    def numbers(self, obj: Tactic) -> str:
        return ", ".join(str(r.number) for r in sorted(obj.recommendations.all(), key=lambda r: r.number))


def map_link(assembly_pk: int) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:advocacy_stakeholder_map", args=[assembly_pk]), _("Power map")
    )
