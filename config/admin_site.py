"""The organisers' admin: tenant-aware, logged into through allauth."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
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

    def admin_view(
        self, view: Callable[..., HttpResponse], cacheable: bool = False
    ) -> Callable[..., HttpResponse]:
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

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        from assemblies.selectors import assemblies_for_organiser

        extra_context = extra_context or {}
        extra_context["my_assemblies"] = assemblies_for_organiser(request.user).select_related("organisation")
        return super().index(request, extra_context)
