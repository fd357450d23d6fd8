"""A login by emailed code proves the person reads that address.

``accounts.services.ensure_user`` gives roles only to an account that verified
the address as its primary one, and tells organisers that the person should
log in once by code. allauth marks an address verified after a code login
only when the account already has a row for it; an account made before
addresses were recorded (``createsuperuser``, an old import) has none, so the
advice would never work. Here such an account gets its address, verified and
primary, after a code login to that very address. A password login proves
nothing about the address and records nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def record_address_proved_by_code(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.account.models import EmailAddress

    records = get_authentication_records(request, user)
    proved = {
        str(r.get("email") or "").strip().lower()
        for r in records
        if isinstance(r, dict) and r.get("method") == "code"
    }
    email = (user.email or "").strip().lower()
    if not email or email not in proved or EmailAddress.objects.filter(user=user).exists():
        return
    if EmailAddress.objects.filter(email__iexact=email).exists():
        return  # another account holds this address: an organiser decides
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
