"""Open data: every public API endpoint states the licence of the data it
returns, chosen per assembly (``Assembly.data_licence``).

- In the headers of every successful response and download:
  ``Link: <https://creativecommons.org/licenses/by/4.0/>; rel="license"`` and
  ``X-Licence: CC BY 4.0`` (one of each licence when a list spans assemblies
  under different licences).
  The headers state the licence's terms (its URL and name), not whom to
  credit: two assemblies of different organisations under CC BY 4.0 give one
  ``Link``.
- In the JSON: list responses carry ``licence`` (the notice every row shares,
  attribution included, or null when the listed assemblies' notices differ in
  anything) and ``licences`` (each assembly's, by slug) beside ``results``; a
  single object carries its own ``licence``, and a JSON download a top-level
  ``licence`` key (``licence_of``).
- Never inside a CSV: CSV downloads (``licensed_download``) get the headers
  only, so the file round-trips.

A public viewset adds ``OpenDataMixin`` first in its bases; the rows tell the
mixin their assembly (an ``Assembly``, an ``assembly_id`` or an ``assembly``
slug in a dict), and ``?assembly=<slug>`` names it even for an empty page.
Every public list reads ``?assembly=`` with ``assembly_filter`` and the schema
documents it the same way on each (``ASSEMBLY_PARAMETER``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, overload

from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .models import Assembly
from .query_params import InvalidQuery, query_value


def _cached_assembly(row: Any) -> Assembly | None:
    """``row.assembly`` when it is already loaded (select_related), else None."""
    field = getattr(type(row), "assembly", None)
    is_cached = getattr(getattr(field, "field", None), "is_cached", None)
    return row.assembly if is_cached is not None and is_cached(row) else None


class LicenceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="e.g. cc-by-4.0")
    name = serializers.CharField(help_text="e.g. CC BY 4.0")
    url = serializers.URLField(help_text="The licence's text.")
    attribution = serializers.CharField(help_text="Whom to credit: the organisation that ran the assembly.")


def licence_of(assembly: Assembly) -> dict[str, str]:
    """The licence notice of one assembly's data, as the API shows it."""
    return {
        "id": assembly.data_licence,
        "name": assembly.get_data_licence_display(),
        "url": assembly.data_licence_url,
        "attribution": assembly.organisation.name,
    }


def set_licence_headers(response: HttpResponseBase, assemblies: Iterable[Assembly]) -> HttpResponseBase:
    """``Link: <url>; rel="license"`` and ``X-Licence: name`` for each distinct licence."""
    licences: dict[str, str] = {}
    for assembly in assemblies:
        licences.setdefault(assembly.data_licence_url, assembly.get_data_licence_display())
    if licences:
        response["Link"] = ", ".join(f'<{url}>; rel="license"' for url in licences)
        response["X-Licence"] = ", ".join(licences.values())
    return response


def licensed_download(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A public download under /assemblies/<slug>/: the assembly's licence in
    the headers. The file is left as the view made it: a JSON download puts
    ``licence_of`` under its own ``licence`` key; a CSV never gets a row."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if 200 <= response.status_code < 300 and kwargs.get("slug"):
            assembly = Assembly.objects.filter(slug=kwargs["slug"]).first()
            if assembly is not None:
                set_licence_headers(response, [assembly])
        return response

    return wrapper


LICENCE_PROPERTIES = {
    "licence": {
        "allOf": [{"$ref": "#/components/schemas/Licence"}],
        "nullable": True,
        "description": "The licence notice every row shares, attribution included; null when "
        "the rows' assemblies differ in licence or in whom to credit (see licences).",
    },
    "licences": {
        "type": "object",
        "additionalProperties": {"$ref": "#/components/schemas/Licence"},
        "description": "Each assembly's licence, by the assembly's slug.",
    },
}


class _LicensedPaginator:
    """The configured paginator, as the schema sees it: with the licence keys."""

    def __init__(self, paginator: Any) -> None:
        self._paginator = paginator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._paginator, name)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = self._paginator.get_paginated_response_schema(schema)
        properties = dict(paged["properties"])
        results = properties.pop("results")
        properties.update(LICENCE_PROPERTIES)
        properties["results"] = results
        return {
            **paged,
            "properties": properties,
            "required": sorted({*paged.get("required", []), *LICENCE_PROPERTIES}),
        }


class OpenDataSchema(AutoSchema):
    """Documents the licence headers on every successful response and the
    licence keys of paged lists."""

    def _get_paginator(self) -> Any:
        paginator = super()._get_paginator()
        return _LicensedPaginator(paginator) if paginator is not None else None

    def _get_response_headers_for_code(self, status_code: Any, direction: str = "response") -> dict[str, Any]:
        headers = dict(super()._get_response_headers_for_code(status_code, direction))
        if str(status_code).startswith("2"):
            headers["Link"] = {
                "schema": {"type": "string"},
                "description": 'The licence of the data: <url>; rel="license" (one per licence).',
            }
            headers["X-Licence"] = {
                "schema": {"type": "string"},
                "description": "The licence's name, e.g. CC BY 4.0 (comma-separated when several).",
            }
        return headers

    def _get_parameters(self) -> Any:
        # One description of ?assembly= on every public list, whatever the view declares.
        return [
            ASSEMBLY_PARAMETER_SCHEMA if (p["name"], p["in"]) == ("assembly", "query") else p
            for p in super()._get_parameters()
        ]

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        # The Licence component, for the $ref of the paged lists' licence keys.
        self.resolve_serializer(LicenceSerializer, "response")
        responses = super()._get_response_bodies(direction)
        if "{" in self.path and "404" not in responses:
            responses["404"] = NOT_FOUND  # an unknown (or unpublished) object
        return responses


NOT_FOUND = {
    "description": "No such public object.",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
        }
    },
}


SLUG = r"^[-a-zA-Z0-9_]+$"  # an assembly's slug, as the schema states it
_SLUG = re.compile(SLUG, re.ASCII)

_ASSEMBLY_DESCRIPTION = (
    "Only this assembly's rows (its slug); an unknown one lists nothing. Absent or blank: "
    "every published assembly's. Give it once: repeated, or not a slug, it is a 400."
)
_ASSEMBLY_PATTERN = r"^[-a-zA-Z0-9_]*$"  # a slug, or blank (no filter)
#: ``?assembly=`` as every public list declares it (``extend_schema(parameters=[...])``).
ASSEMBLY_PARAMETER = OpenApiParameter(
    "assembly", OpenApiTypes.STR, description=_ASSEMBLY_DESCRIPTION, pattern=_ASSEMBLY_PATTERN
)
ASSEMBLY_PARAMETER_SCHEMA = {
    "in": "query",
    "name": "assembly",
    "required": False,
    "description": _ASSEMBLY_DESCRIPTION,
    "schema": {"type": "string", "pattern": _ASSEMBLY_PATTERN},
}


def assembly_filter(request: Request) -> str | None:
    """``?assembly=<slug>`` of a public list: None when absent or blank (every
    published assembly's rows); an unknown slug lists nothing, so that the
    answer never tells whether an unpublished assembly exists. A value that
    is not a slug (``%00`` included) or a repeated one is a 400."""
    slug = query_value(request, "assembly") or None
    if slug is not None and not _SLUG.fullmatch(slug):
        raise InvalidQuery(
            _("The %(name)s parameter must be a slug (letters, digits, - and _), not “%(value)s”.")
            % {"name": "assembly", "value": slug[:40]}
        )
    return slug


class RowsOfAssemblies(Sequence[Any]):
    """The rows of several assemblies one after the other, for a paged list:
    ``sizes`` gives each assembly's number of rows (one query for all), and
    ``rows_of(assembly)`` is called only for the assemblies the page reaches,
    so a page costs the queries of its own assemblies, not of every one."""

    def __init__(self, sizes: list[tuple[Assembly, int]], rows_of: Callable[[Assembly], list[Any]]) -> None:
        self._sizes = [(assembly, n) for assembly, n in sizes if n]
        self._rows_of = rows_of

    def __len__(self) -> int:
        return sum(n for _, n in self._sizes)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            rows = self[index : index + 1] if index >= 0 else self[len(self) + index :][:1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop, step = index.indices(len(self))
        out: list[Any] = []
        first = 0
        for assembly, n in self._sizes:
            lo, hi = max(start - first, 0), min(stop - first, n)
            if lo < hi:
                out.extend(self._rows_of(assembly)[lo:hi])
            first += n
            if first >= stop:
                break
        return out[::step] if step != 1 else out


@functools.cache
def with_licence(serializer_class: type[serializers.BaseSerializer]) -> type[serializers.BaseSerializer]:
    """``serializer_class`` plus the object's ``licence`` (for single objects)."""

    @extend_schema_field(LicenceSerializer)
    def get_licence(self: Any, obj: Any) -> dict[str, str]:
        return licence_of(self.context["view"].licence_assembly_of(obj))

    attrs: dict[str, Any] = {
        "licence": serializers.SerializerMethodField(),
        "get_licence": get_licence,
        "__module__": serializer_class.__module__,
    }
    meta = getattr(serializer_class, "Meta", None)
    if meta is not None and isinstance(getattr(meta, "fields", None), list | tuple):
        attrs["Meta"] = type("Meta", (meta,), {"fields": [*meta.fields, "licence"]})
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(f"Licensed{name}Serializer", (serializer_class,), attrs)


if TYPE_CHECKING:
    from rest_framework.viewsets import GenericViewSet

    _ViewSet = GenericViewSet
else:
    _ViewSet = object


class OpenDataMixin(_ViewSet):
    """Put first in a public viewset's bases: the licence in the JSON and the
    headers of every list and retrieve (see the module's docstring)."""

    schema = OpenDataSchema()
    _licensed: list[Assembly] | None = None
    _page_rows: list[Any] | None = None

    def licence_assembly_of(self, obj: Any) -> Assembly:
        """The assembly a single object belongs to (override when it is not ``obj.assembly``)."""
        return obj if isinstance(obj, Assembly) else obj.assembly

    def get_serializer_class(self) -> Any:
        serializer_class = super().get_serializer_class()
        if self.action == "retrieve":
            return with_licence(serializer_class)  # type: ignore[arg-type]
        return serializer_class

    def get_object(self) -> Any:
        obj = super().get_object()
        self._licensed = [self.licence_assembly_of(obj)]
        return obj

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._page_rows = list(page) if page is not None else None
        return page

    def licence_assemblies(self, rows: Iterable[Any]) -> list[Assembly]:
        """The assemblies of ``rows`` and of ``?assembly=<slug>``: those the
        rows already hold (with their organisation), the others in one query."""
        known: dict[int, Assembly] = {}
        ids: set[int] = set()
        slugs: set[str] = set()
        for row in rows:
            if isinstance(row, dict):
                if isinstance(row.get("assembly"), str):
                    slugs.add(row["assembly"])
                continue
            assembly = row if isinstance(row, Assembly) else _cached_assembly(row)
            if assembly is not None and Assembly.organisation.field.is_cached(assembly):
                known[assembly.pk] = assembly
            elif getattr(row, "assembly_id", None) is not None:
                ids.add(row.assembly_id)
        slug = assembly_filter(self.request)
        if slug is not None:
            slugs.add(slug)
        slugs -= {a.slug for a in known.values()}
        ids -= set(known)
        if ids or slugs:
            found = Assembly.objects.public().filter(Q(pk__in=ids) | Q(slug__in=slugs))
            known.update((a.pk, a) for a in found.select_related("organisation"))
        return sorted(known.values(), key=lambda a: a.slug)

    def get_paginated_response(self, data: Any) -> Response:
        response: Response = super().get_paginated_response(data)
        assemblies = self.licence_assemblies(self._page_rows or [])
        self._licensed = assemblies
        licences = {a.slug: licence_of(a) for a in assemblies}
        # The whole notice, attribution included: one licence for rows of two
        # organisations would credit only one of them.
        distinct = {tuple(sorted(licence.items())) for licence in licences.values()}
        body = {key: value for key, value in response.data.items() if key != "results"}
        body["licence"] = next(iter(licences.values())) if len(distinct) == 1 else None
        body["licences"] = licences
        body["results"] = response.data["results"]
        response.data = body
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._licensed and 200 <= response.status_code < 300:
            set_licence_headers(response, self._licensed)
        return response
