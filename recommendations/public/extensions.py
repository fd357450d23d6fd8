"""What apps above recommendations add to its public pages and API rows,
without recommendations importing them (the layers): each app appends its
functions from its plugin.

- ``row_fields``: ``fn(assembly, recommendations) -> {recommendation pk: {key: value}}``,
  merged into each row of ``GET /api/v1/recommendations/`` and the JSON download
  (one call per list: fetch in bulk).
- ``detail_sections``: ``fn(recommendation) -> HTML or None``, shown on the
  recommendation's public page after its text (the HTML must be safe and public).
- ``detail_related``: one-to-one rows the page's recommendation is read with
  (``select_related`` names), so that those sections read them without a query
  of their own (a section must still work without them: another caller's
  recommendation was read without).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.safestring import SafeString

from assemblies.models import Assembly

from ..models import Recommendation

RowFields = Callable[[Assembly, list[Recommendation]], dict[int, dict[str, Any]]]
DetailSection = Callable[[Recommendation], SafeString | None]

row_fields: list[RowFields] = []
detail_sections: list[DetailSection] = []
detail_related: list[str] = []


def add_row_fields(function: RowFields) -> None:
    if function not in row_fields:
        row_fields.append(function)


def add_detail_section(function: DetailSection) -> None:
    if function not in detail_sections:
        detail_sections.append(function)


def add_detail_related(*names: str) -> None:
    detail_related.extend(name for name in names if name not in detail_related)


def extra_fields(assembly: Assembly, recommendations: Iterable[Recommendation]) -> dict[int, dict[str, Any]]:
    items = list(recommendations)
    merged: dict[int, dict[str, Any]] = {item.pk: {} for item in items}
    for function in row_fields:
        for pk, values in function(assembly, items).items():
            merged.setdefault(pk, {}).update(values)
    return merged


def sections_for(recommendation: Recommendation) -> list[SafeString]:
    return [html for function in detail_sections if (html := function(recommendation))]
