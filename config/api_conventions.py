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
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# The parameter checks live below the apps, whose API views use them too.
from assemblies.query_params import query_whole_number

#: Largest page an API list returns, whatever ``limit`` asks for.
MAX_PAGE_SIZE = 200


class Pagination(pagination.LimitOffsetPagination):
    """``limit`` (at least 1) is capped at MAX_PAGE_SIZE, so a bigint limit
    is a full page rather than an overflow in the database driver; an offset
    past the end is an empty page. A malformed limit or offset (``abc``,
    ``-1``, ``limit=0``) is a 400 naming it, never a silent default page."""

    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int | None:
        limit = query_whole_number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, MAX_PAGE_SIZE)

    def get_offset(self, request: Request) -> int:
        return query_whole_number(request, self.offset_query_param, minimum=0) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        limit, offset = super().get_schema_operation_parameters(view)
        limit["description"] = (
            f"Number of results to return per page: at least 1; a larger one than {MAX_PAGE_SIZE} "
            f"returns {MAX_PAGE_SIZE}. Default {self.default_limit}."
        )
        limit["schema"] = {"type": "integer", "minimum": 1}
        offset["description"] = "The initial index from which to return the results: at least 0."
        offset["schema"] = {"type": "integer", "minimum": 0}
        return [limit, offset]


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


BAD_QUERY = {
    "description": (
        "A malformed query parameter, named in the message: a limit or offset that is not a whole "
        "number (limit at least 1, offset at least 0), a date not written YYYY-MM-DD, an assembly "
        "that is not a slug, or a parameter given more than once."
    ),
    "content": TOO_MANY_REQUESTS["content"],
}


def document_throttling(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation may answer 429,
    and every one that takes query parameters 400 (``InvalidQuery``)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", TOO_MANY_REQUESTS)
                if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                    operation["responses"].setdefault("400", BAD_QUERY)
    return result
