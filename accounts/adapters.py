from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made for people: members when they confirm their seat,
        # organisers by their team's owner. Nobody signs up on their own.
        return False

    def can_delete_email(self, email_address: Any) -> bool:
        # Addresses are managed by the organisers (see accounts.forms).
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth keys the failed-login limit on the account alone, so a
        stranger's five wrong passwords locked the real organiser out. Keyed
        on (client IP, account) instead; ACCOUNT_RATE_LIMITS adds a per-IP
        limit across accounts. (allauth 65 uses this key in pre_authenticate
        and to clear the count after a password reset;
        tests/accounts/test_login.py holds it to that.)"""
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}:{account_key}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # allauth answers a form error (200); LoginRateLimitStatusMiddleware
            # turns the response into a 429.
            request.plenary_login_rate_limited = True  # type: ignore[attr-defined]
            raise

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every account email (login codes included) goes through the outbox,
        so it is retried, logged and visible in the demo mailbox."""
        from notifications.services import queue_prerendered_email

        request = context.get("request")
        language = translation.get_language() or "en"
        ctx = {"email": email, **context}
        if request is not None:
            from django.contrib.sites.shortcuts import get_current_site

            ctx.setdefault("current_site", get_current_site(request))
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        queue_prerendered_email(
            to=email,
            subject=str(message.subject),
            text=str(message.body),
            html=html,
            language=language,
            template=template_prefix,
        )
