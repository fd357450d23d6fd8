"""How the whole API behaves, whatever the endpoint: paging limits, throttles,
errors in JSON, and the 429 in the schema.

Kept apart from ``config.api`` (the router) because REST_FRAMEWORK names these
classes by dotted path and DRF imports them while the viewsets the router
needs are still being defined.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, throttling
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

#: Largest page an API list returns, whatever ``limit`` asks for.
MAX_PAGE_SIZE = 200


class Pagination(pagination.LimitOffsetPagination):
    """``limit`` is clamped to MAX_PAGE_SIZE, so a bigint limit is a full page
    rather than an overflow in the database driver; an offset past the end is
    an empty page."""

    max_limit = MAX_PAGE_SIZE


class AnonThrottle(throttling.AnonRateThrottle):
    """Anonymous clients by IP, counted in the default cache (Redis when
    REDIS_URL is set, so every worker shares the count). The rate is read per
    request from PLENARY_API_ANON_RATE, so tests and benchmarks can raise it."""

    def get_rate(self) -> str | None:
        return str(settings.PLENARY_API_ANON_RATE) or None


class UserThrottle(throttling.UserRateThrottle):
    """Authenticated clients (token or session) by user, PLENARY_API_USER_RATE."""

    def get_rate(self) -> str | None:
        return str(settings.PLENARY_API_USER_RATE) or None

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        # DRF's class would count an anonymous client by IP too, under this
        # rate: anonymous clients are AnonThrottle's alone.
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError (raised by services and
    model validation) as a 400 with its messages rather than a 500. Anything
    else unexpected still reaches Django's 500 handling (logged), and
    ``config.middleware.JSONErrorsForAPIMiddleware`` answers it in JSON."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


def error_body(status: int) -> dict[str, str]:
    """The JSON body of an error the API did not produce itself (unknown URL,
    server error), in DRF's shape."""
    from django.utils.translation import gettext

    messages = {
        404: gettext("Not found."),
        500: gettext("A server error occurred."),
        403: gettext("You do not have permission to perform this action."),
    }
    try:
        phrase = HTTPStatus(status).phrase + "."
    except ValueError:
        phrase = "Error."
    return {"detail": messages.get(status, phrase)}


TOO_MANY_REQUESTS = {
    "description": (
        "Too many requests: anonymous clients may make PLENARY_API_ANON_RATE requests "
        "(120 a minute by default) per IP address, authenticated clients PLENARY_API_USER_RATE. "
        "Wait the number of seconds in Retry-After."
    ),
    "headers": {
        "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
    },
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def document_throttling(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation may answer 429."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", TOO_MANY_REQUESTS)
    return result
