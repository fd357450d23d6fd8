"""allauth forms replaced where Plenary closes a door allauth leaves open."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import AddEmailForm
from django import forms
from django.utils.translation import gettext_lazy as _

EMAIL_MANAGED_MESSAGE = _(
    "Email addresses are managed by the organisers. To change yours, contact the organisers of your assembly."
)


class ClosedAddEmailForm(AddEmailForm):
    """Nobody adds an address to their own account: roles are granted to
    addresses, so an address someone could add (and verify through a tricked
    recipient) would carry the roles later granted to it. The email page is
    closed too (``accounts.middleware.EmailManagementClosedMiddleware``); this
    form closes any other way in, such as allauth's headless API."""

    def clean_email(self) -> Any:
        raise forms.ValidationError(EMAIL_MANAGED_MESSAGE, code="email_managed")
