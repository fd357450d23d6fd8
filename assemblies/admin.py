from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.services import ensure_user

from . import admin_outbox, selectors  # noqa: F401  (the outbox's admin: notifications sits below us)
from .admin_base import TenantModelAdmin
from .admin_translations import TranslatedTextsForm, fields_with_boxes, with_translation_boxes
from .forms import JSONListFieldsMixin, LanguagesField, MemberAdminForm, TeamMembershipAdminForm
from .models import Assembly, AuditEvent, Member, Organisation, OrganiserTeam, TeamMembership
from .rules import VIEW_AUDIT


class OrganisationScopedAdmin(TenantModelAdmin):
    """Models that belong to an organisation rather than to one assembly."""

    organisation_path = "organisation"
    view_perm = "assemblies.view_organisation"
    manage_perm = "assemblies.manage_organisation"

    def organisation_of(self, obj: Any) -> Organisation | None:
        target = obj
        for part in self.organisation_path.split("__") if self.organisation_path else []:
            target = getattr(target, part, None)
        return target

    def assembly_of(self, obj: Any) -> Assembly | None:
        return getattr(obj, "assembly", None)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        orgs = selectors.organisations_for_organiser(request.user).values("pk")
        if not self.organisation_path:
            return qs.filter(pk__in=orgs)
        return qs.filter(**{f"{self.organisation_path}__in": orgs})

    def _allowed(self, request: HttpRequest, perm: str, obj: Any) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return selectors.is_organiser_anywhere(request.user)
        return request.user.has_perm(perm, self.organisation_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, self.manage_perm, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser or any(
            request.user.has_perm(self.manage_perm, org)
            for org in selectors.organisations_for_organiser(request.user)
        )


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = ""
    list_display = ["name", "slug", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    form = TeamMembershipAdminForm
    fields = ["email", "role", "assembly"]
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assembly" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.assemblies_for_organiser(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OrganiserTeam)
class OrganiserTeamAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    inlines = [TeamMembershipInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(
                pk__in=[
                    o.pk
                    for o in selectors.organisations_for_organiser(request.user)
                    if request.user.has_perm("assemblies.manage_organisation", o)
                ]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            if inline_form.cleaned_data and not inline_form.instance.user_id:
                inline_form.instance.user = ensure_user(email=inline_form.cleaned_data["email"])
        super().save_formset(request, form, formset, change)


class AssemblyForm(TranslatedTextsForm):
    translated = ("title", "remit", "description")

    class Meta:
        model = Assembly
        fields = "__all__"


@admin.register(Assembly)
class AssemblyAdmin(JSONListFieldsMixin, TenantModelAdmin):
    assembly_path = ""
    json_list_fields = {"languages": LanguagesField}
    form = with_translation_boxes(AssemblyForm)
    list_display = ["title", "stage_badge", "starts_on", "is_public", "dashboard_link"]
    list_filter = ["stage", "kind", "is_public"]
    list_select_related = ["organisation"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["stage", "stage_changed_at", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": fields_with_boxes(
                    ["organisation", "title", "slug", "remit", "description"], AssemblyForm.translated
                )
            },
        ),
        (_("Kind and languages"), {"fields": ["kind", "parent", "languages"]}),
        (_("Dates"), {"fields": ["starts_on", "ends_on"]}),
        (
            _("Contact for residents and members"),
            {
                "fields": ["contact_name", "contact_email", "contact_phone", "contact_address"],
                "description": _(
                    "Printed on the letters and shown on the registration and confirmation pages and "
                    "in every email to residents and members. Give at least an email address or a phone."
                ),
            },
        ),
        (
            _("Publication"),
            {"fields": ["is_public", "data_licence", "stage", "stage_changed_at", "created_at"]},
        ),
    ]

    @admin.display(description=_("stage"), ordering="stage")
    def stage_badge(self, obj: Assembly) -> str:
        return format_html('<span class="stage stage-{}">{}</span>', obj.stage, obj.get_stage_display())

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj: Assembly) -> str:
        url = reverse("admin:assemblies_assembly_dashboard", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open dashboard"))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.organisations_for_organiser(request.user)
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.assemblies_for_organiser(request.user).filter(kind="core")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser or any(
            request.user.has_perm("assemblies.manage_organisation", org)
            for org in selectors.organisations_for_organiser(request.user)
        )

    def save_model(self, request: HttpRequest, obj: Assembly, form: Any, change: bool) -> None:
        if not change and not request.user.has_perm("assemblies.manage_organisation", obj.organisation):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(Member)
class MemberAdmin(TenantModelAdmin):
    form = MemberAdminForm
    autocomplete_fields = ["assembly"]
    list_display = ["__str__", "assembly", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    list_select_related = ["assembly", "user"]
    search_fields = ["display_name"]

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        if not change:
            obj.user = ensure_user(email=form.cleaned_data["email"])  # type: ignore[assignment]
        if not request.user.has_perm("assemblies.manage_assembly", obj.assembly):
            raise Http404
        super().save_model(request, obj, form, change)


class AuditActionFilter(admin.SimpleListFilter):
    """The actions by their labels, as the rows show them (the default filter
    listed the codes: "announcement.sent"); same parameter, so links keep working."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from .registry import registry

        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        labels = [(action, str(registry.audit_action_labels.get(action, action))) for action in actions]
        return sorted(labels, key=lambda item: item[1].lower())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(TenantModelAdmin):
    view_perm = "assemblies.view_audit"
    list_display = ["created_at", "assembly", "actor", "action_display", "object_repr", "details_display"]
    list_filter = [AuditActionFilter]
    list_select_related = ["assembly", "actor"]
    readonly_fields = [
        "created_at",
        "assembly",
        "actor",
        "action_display",
        "object_type",
        "object_id",
        "object_repr",
        "details_display",
    ]
    exclude = ["data", "action"]  # shown by its label (action_display)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        allowed = selectors.assemblies_where(request.user, VIEW_AUDIT)
        return qs.filter(assembly__in=allowed.values("pk"))

    @admin.display(description=_("details"))
    def details_display(self, obj: AuditEvent) -> str:
        # Django escapes the returned text: the log shows what was typed, it
        # never runs it.
        return obj.details_text or "—"

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj: AuditEvent) -> str:
        return obj.action_label

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
