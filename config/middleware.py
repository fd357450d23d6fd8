from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class FriendlyNotFoundMiddleware:
    """In DEBUG (the laptop demo) Django answers an unknown URL with its
    technical page listing every route. Newcomers trying the demo should see
    the same friendly page as production; set PLENARY_DEBUG_404=1 to get
    Django's page back while developing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.PLENARY_DEBUG_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "plenary_friendly", False)
            and not request.path.startswith(("/api/", "/static/"))
        ):
            response = render(request, "404.html", status=404)
        return response
