from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class RequireOrganiserMFAMiddleware:
    """Organisers and staff must have a TOTP authenticator before they may use
    the admin or the API's organiser endpoints (PLENARY_REQUIRE_ORGANISER_MFA,
    on in production). Everything under /accounts/ stays reachable so that they
    can set one up."""

    guarded_prefixes = ("/admin/", "/api/v1/manage/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PLENARY_REQUIRE_ORGANISER_MFA and request.path.startswith(self.guarded_prefixes):
            from .services import needs_mfa_setup

            if needs_mfa_setup(request.user):
                messages.info(
                    request,
                    _(
                        "Organisers handle people's personal data, so the organisers' area needs "
                        "two-factor authentication. Set up an authenticator app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
