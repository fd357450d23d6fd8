"""The organisers' admin: tenant-aware, logged into through allauth."""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class PlenaryAdminSite(admin.AdminSite):
    site_header = _("Plenary · organisers")
    site_title = _("Plenary admin")
    index_title = _("Your assemblies")
    index_template = "admin/plenary_index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        # Organisers get in through a team membership, not Django's is_staff
        # flag, so that there is one source of truth for who organises what.
        from assemblies.selectors import is_organiser_anywhere

        user = request.user
        return bool(user.is_active and (user.is_superuser or is_organiser_anywhere(user)))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Anonymous: straight to the one login page. Signed in but not an
            # organiser: the admin does not exist for them (404, like any
            # object outside their tenant), which also avoids a redirect loop
            # between the login page and the admin.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One login page for everyone, with allauth's rate limits and 2FA.
        next_url = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def get_urls(self) -> list[Any]:
        # Apps' screens first: they live under their model admin's prefix
        # (e.g. lottery/selectionrun/), whose catch-all would otherwise win.
        urls = [*self.screen_urls(), *super().get_urls()]
        for i, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[i] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def screen_urls(self) -> list[Any]:
        """Every organiser screen the apps registered (``assemblies.registry``)."""
        from assemblies.registry import registry

        return [
            path(group.prefix + route.route, self.admin_view(route.view.as_view()), name=route.name)
            for group in registry.screen_groups
            for route in group.routes
        ]

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        """Django's shortcut redirects to any object's page; only follow it for
        objects the user can see through that model's admin."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None or not model_admin.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return shortcut(request, content_type_id, object_id)

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        from assemblies.selectors import assemblies_for_organiser

        extra_context = extra_context or {}
        extra_context["my_assemblies"] = assemblies_for_organiser(request.user).select_related("organisation")
        return super().index(request, extra_context)
