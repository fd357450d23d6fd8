"""Query parameters of the API, checked one way everywhere: a malformed one
is a 400 whose ``detail`` names it, never a silent default. Below the apps
(``config.api_conventions`` and the apps' API views use it)."""

from __future__ import annotations

import datetime as dt
import re

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request


class InvalidQuery(exceptions.APIException):
    """A malformed query parameter: a 400 whose ``detail`` names it."""

    status_code = 400
    default_code = "invalid_query"


def query_value(request: Request, name: str) -> str | None:
    """The one value of query parameter ``name``, stripped: None when absent;
    a 400 when it is given twice. Read from the query string as sent:
    ``DropNullCharactersMiddleware`` drops a value holding a NUL, which would
    make ``?assembly=%00`` an unfiltered list, where the API refuses it."""
    values = QueryDict(request.META.get("QUERY_STRING", "")).getlist(name)
    if len(values) > 1:
        raise InvalidQuery(
            _("Give the %(name)s parameter once, not %(count)s times.") % {"name": name, "count": len(values)}
        )
    return values[0].strip() if values else None


_WHOLE_NUMBER = re.compile(r"[0-9]+", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def query_whole_number(request: Request, name: str, *, minimum: int) -> int | None:
    """Query parameter ``name`` as a whole number of at least ``minimum``
    (None when absent; blank is malformed, like ``abc``)."""
    value = query_value(request, name)
    if value is None:
        return None
    # Past 18 digits, as good as infinite (and int() refuses over 4,300 digits).
    digits = value.lstrip("0") or "0"
    number = (int(digits) if len(digits) <= 18 else 10**18) if _WHOLE_NUMBER.fullmatch(value) else None
    if number is None or number < minimum:
        raise InvalidQuery(
            _("The %(name)s parameter must be a whole number of at least %(minimum)s, not “%(value)s”.")
            % {"name": name, "minimum": minimum, "value": value[:40]}
        )
    return number


def query_date(request: Request, name: str) -> dt.date | None:
    """Query parameter ``name`` as a date written YYYY-MM-DD (None when absent; blank is malformed)."""
    value = query_value(request, name)
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidQuery(
            _("The %(name)s parameter must be a date written YYYY-MM-DD (e.g. 2026-03-31), not “%(value)s”.")
            % {"name": name, "value": value[:40]}
        ) from None
