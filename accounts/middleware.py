from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class RequireOrganiserMFAMiddleware:
    """Organisers and staff must have a TOTP authenticator before they may use
    the admin (PLENARY_REQUIRE_ORGANISER_MFA, on in production). Everything
    under /accounts/ stays reachable so that they can set one up. The API
    enforces the same rule in ``accounts.permissions.OrganiserMFA``: a token is
    only authenticated by DRF, after every middleware has run."""

    guarded_prefixes = ("/admin/",)

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


class EmailManagementClosedMiddleware:
    """allauth's email page (/accounts/email/) lets a user add any address,
    verify it and make it primary; roles are granted to addresses, so that
    page is answered by ``accounts.views.email_managed`` instead. Done here
    rather than in the URLconf so that the closure holds whatever order the
    URL includes are in."""

    closed_url_names = frozenset({"account_email"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.url_name in self.closed_url_names:
            from .views import email_managed

            return email_managed(request)
        return None


class LoginRateLimitStatusMiddleware:
    """allauth shows "Too many failed login attempts" as a form error with a
    200; clients and monitoring should see a 429. The adapter marks the
    request (``AccountAdapter.pre_authenticate``) and this sets the status."""

    #: Seconds until the per-(IP, account) window of ACCOUNT_RATE_LIMITS ends, at most.
    retry_after = 300

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "plenary_login_rate_limited", False) and response.status_code == 200:
            response.status_code = 429
            response.reason_phrase = "Too Many Requests"
            response["Retry-After"] = str(self.retry_after)
        return response
