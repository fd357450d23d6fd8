"""Public recommendation pages (under /assemblies/<slug>/recommendations/,
namespace "recommendations"): the list with search and filters (a GET form,
no JavaScript), one recommendation (and its printable view), and downloads."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from assemblies.fragments import fragment
from assemblies.opendata import licence_of, licensed_download
from reports.csv_safety import safe_row

from ..ballots import charts
from ..ballots.selectors import assembly_summary, deciding_ballots
from . import extensions, selectors


def recommendation_list(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = selectors.published_assembly(slug)
    filters = selectors.Filters.from_query(request.GET)
    # The list, the summary and the filters' choices are kept under the
    # assembly's public version; a search picks from that list.
    shared = dict(fragment(assembly.pk, "recommendation_list", lambda: _list_shared(assembly)))
    items = selectors.matching(shared.pop("items"), filters)
    page = Paginator(items, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/public/list.html",
        {
            "assembly": assembly,
            "filters": filters,
            "page": page,
            "items": page.object_list,
            "total": len(items),
            "query": query.urlencode(),
            **shared,
        },
    )


def _list_shared(assembly: Any) -> dict[str, Any]:
    """Every published recommendation, the assembly's summary and the filters'
    choices; the summary and the list read the deciding ballots once."""
    ballots = deciding_ballots(assembly)
    items = selectors.published_items(assembly, ballots)
    return {
        "items": items,
        "summary": assembly_summary(assembly, ballots),
        **selectors.filter_options(assembly, items),
    }


def _detail(request: HttpRequest, slug: str, number: int, template: str) -> HttpResponse:
    assembly = selectors.published_assembly(slug)
    # The selector's figures, rendered Markdown, charts and the apps' sections,
    # kept under the assembly's public version (the page cache's).
    context: dict[str, Any] = dict(
        fragment(assembly.pk, f"recommendation:{number}", lambda: _detail_context(assembly, number))
    )
    context["assembly"] = assembly
    context["canonical"] = request.build_absolute_uri(reverse("recommendations:detail", args=[slug, number]))
    return render(request, template, context)


def _detail_context(assembly: Any, number: int) -> dict[str, Any]:
    context: dict[str, Any] = selectors.recommendation_detail(assembly, number)
    result = context["result"]
    context["chart"] = charts.result_chart(result, chart_id="result-chart") if result else ""
    for item in context["amendments"]:
        if item["result"] is not None:
            item["chart"] = charts.result_chart(
                item["result"], chart_id=f"amendment-{item['amendment'].pk}-chart"
            )
    # The apps' sections read the recommendation's assembly: the one loaded.
    context["recommendation"].assembly = assembly
    context["extensions"] = extensions.sections_for(context["recommendation"])
    return context


def recommendation_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return _detail(request, slug, number, "recommendations/public/detail.html")


def recommendation_print(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return _detail(request, slug, number, "recommendations/public/print.html")


CSV_COLUMNS = [
    "number", "title", "text", "addressee", "level", "topics", "url",
    "votes", "in_favour", "counted", "share", "threshold", "quorum_met", "adopted",
]  # fmt: skip


@licensed_download
def download_csv(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = selectors.published_assembly(slug)
    rows = selectors.public_rows(assembly, request.build_absolute_uri)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{assembly.slug}-recommendations.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        result = row["result"] or {}
        writer.writerow(
            safe_row(
                [
                    row["number"], row["title"], row["text"], row["addressee"], row["level"],
                    "; ".join(row["topics"]), row["url"],
                    result.get("votes", ""), result.get("in_favour", ""), result.get("counted", ""),
                    result.get("share", ""), result.get("threshold", ""),
                    result.get("quorum_met", ""), result.get("adopted", ""),
                ]
            )
        )  # fmt: skip
    return response


@licensed_download
def download_json(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = selectors.published_assembly(slug)
    rows = selectors.public_rows(assembly, request.build_absolute_uri)
    response = HttpResponse(
        json.dumps(
            {"assembly": assembly.slug, "licence": licence_of(assembly), "recommendations": rows},
            ensure_ascii=False,
            indent=2,
        ),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{assembly.slug}-recommendations.json"'
    return response
