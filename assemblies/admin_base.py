"""The tenant-aware base for every organiser-facing ModelAdmin.

Rows are filtered to the assemblies the user has a role in; an object outside
them is a 404 (never Django's "doesn't exist" redirect, which would confirm
that the id exists); foreign-key choices are limited the same way; and every
add, change and delete is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from .audit import audit_record
from .models import Assembly
from .selectors import assemblies_for_organiser, assemblies_where, has_perm_anywhere


class TenantModelAdmin(admin.ModelAdmin):
    #: Lookup from this model to its Assembly ("" when the model is Assembly).
    assembly_path: str = "assembly"
    #: Permission (a rules name) needed to see rows; to add, change or delete.
    view_perm = "assemblies.view_assembly"
    manage_perm = "assemblies.manage_assembly"

    # --- scoping -------------------------------------------------------------
    def assembly_of(self, obj: models.Model) -> Assembly | None:
        if isinstance(obj, Assembly):
            return obj
        target: Any = obj
        for part in self.assembly_path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target if isinstance(target, Assembly) else None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        visible = assemblies_for_organiser(request.user)
        if not self.assembly_path:
            return qs.filter(pk__in=visible.values("pk"))
        return qs.filter(**{f"{self.assembly_path}__in": visible.values("pk")})

    def _require_visible(self, request: HttpRequest, object_id: str | None) -> None:
        """Django checks permissions before existence (a 403 for another
        tenant's object); we answer 404 first, whatever the action."""
        if object_id is None:
            return
        try:
            visible = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        self._require_visible(request, object_id)
        return super().changeform_view(request, object_id, *args, **kwargs)

    def delete_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        self._require_visible(request, object_id)
        return super().delete_view(request, object_id, *args, **kwargs)

    def history_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, *args, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        raise Http404

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Assembly and not request.user.is_superuser:
            kwargs["queryset"] = assemblies_where(request.user, self.manage_perm)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- permissions (one vocabulary: the rules in assemblies/rules.py) -------
    def _allowed(self, request: HttpRequest, perm: str, obj: models.Model | None) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if obj is None:
            return has_perm_anywhere(user, perm)
        return user.has_perm(perm, self.assembly_of(obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, self.view_perm, None)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, self.view_perm, obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return has_perm_anywhere(request.user, self.manage_perm)
        return self._allowed(request, self.manage_perm, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return has_perm_anywhere(request.user, self.manage_perm)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    # --- audit -----------------------------------------------------------------
    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit_record(action="admin.added", by=request.user, assembly=self.assembly_of(obj), obj=obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        changed: list[str] = []
        for entry in message if isinstance(message, list) else []:
            changed += entry.get("changed", {}).get("fields", [])
        audit_record(
            action="admin.changed",
            by=request.user,
            assembly=self.assembly_of(obj),
            obj=obj,
            data={"fields": changed},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            audit_record(action="admin.deleted", by=request.user, assembly=self.assembly_of(obj), obj=obj)
        return super().log_deletions(request, queryset)


class SuperuserOnlyAdminMixin:
    """For platform-wide models (users, schedules, tokens): superusers only.

    For anyone else these pages do not exist (404), like another tenant's
    objects, rather than "forbidden"."""

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._only_superusers(request)
        return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._only_superusers(request)
        return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._only_superusers(request)
        return super().delete_view(request, *args, **kwargs)  # type: ignore[misc]

    def history_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._only_superusers(request)
        return super().history_view(request, *args, **kwargs)  # type: ignore[misc]

    def add_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._only_superusers(request)
        return super().add_view(request, *args, **kwargs)  # type: ignore[misc]

    def user_change_password(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Only on UserAdmin; harmless elsewhere because nothing routes to it.
        self._only_superusers(request)
        return super().user_change_password(request, *args, **kwargs)  # type: ignore[misc]

    def _only_superusers(self, request: HttpRequest) -> None:
        if not request.user.is_superuser:
            raise Http404

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
