from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
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


class JSONErrorsForAPIMiddleware:
    """Under /api/ every error is JSON. DRF answers its own errors in JSON, but
    an unknown URL (Django's 404) or an unexpected exception (Django's 500,
    already logged by the time it gets here) would be the HTML error page;
    this swaps such a page for ``{"detail": ...}`` with the same status."""

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(self.prefix)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/")
            # The browsable API renders DRF's own errors as HTML on purpose.
            and getattr(response, "accepted_media_type", None) is None
        ):
            from .api_conventions import error_body

            json_response = JsonResponse(error_body(response.status_code), status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
