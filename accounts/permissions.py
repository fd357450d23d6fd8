"""The API's side of organisers' two-factor rule.

The MFA middleware guards the admin, but it runs before DRF authenticates a
token, so an ``Authorization: Token …`` request looks anonymous to it. The
rule is therefore enforced here, once DRF knows the user, for every kind of
credential."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request


class OrganiserMFA(permissions.BasePermission):
    """With PLENARY_REQUIRE_ORGANISER_MFA on, organisers and staff need a TOTP
    authenticator before any organisers' endpoint answers them (token or
    session). Every organisers' viewset lists this class."""

    message = _(
        "Organisers handle people's personal data, so the organisers' API needs two-factor "
        "authentication. Set up an authenticator app at /accounts/2fa/totp/activate/ and try again."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        if not settings.PLENARY_REQUIRE_ORGANISER_MFA:
            return True
        from .services import needs_mfa_setup

        return not needs_mfa_setup(request.user)
