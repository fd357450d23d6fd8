from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    def organiser() -> bool:
        from assemblies.selectors import is_organiser_anywhere

        return is_organiser_anywhere(request.user)

    return {
        "DEMO_MAILBOX": settings.PLENARY_DEMO_MAILBOX,
        "SITE_URL": settings.SITE_URL,
        # Lazy: costs a query only on pages that show the organisers' link.
        "user_is_organiser": SimpleLazyObject(organiser),
    }
