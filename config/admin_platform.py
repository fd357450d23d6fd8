"""Platform-wide models in the admin: superusers only, 404 for everyone else.

Imported from config.urls (after every app's admin module has registered), so
that each third-party ModelAdmin can be wrapped in place.
"""

from __future__ import annotations

from django.contrib import admin

from assemblies.admin_base import SuperuserOnlyAdminMixin, TenantModelAdmin


def restrict_platform_admins(site: admin.AdminSite) -> None:
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, TenantModelAdmin | SuperuserOnlyAdminMixin):
            continue
        restricted = type(
            f"SuperuserOnly{type(model_admin).__name__}", (SuperuserOnlyAdminMixin, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, restricted)


restrict_platform_admins(admin.site)
