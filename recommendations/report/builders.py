"""The reports' builders, registered with ``reports.builders`` (see
``recommendations.report.plugin``): each returns the HTML that
``reports.pdf`` lays out and the same content as data (JSON and CSV).

The rendering task calls them inside ``translation.override(language)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from assemblies.opendata import licence_of
from assemblies.translations import translated
from reports.builders import Built

from ..ballots.selectors import assembly_summary
from . import selectors

RECOMMENDATION_COLUMNS = [
    "number", "title", "text", "rationale", "addressee", "level", "topics",
    "yes", "no", "abstain", "votes", "counted", "in_favour", "share", "threshold", "quorum_met", "adopted",
]  # fmt: skip


def _result_cells(result: Any) -> list[Any]:
    if result is None:
        return ["", "", "", "", "", "", "", "", "", ""]
    counts = {o.choice: o.count for o in result.options}
    return [
        counts.get("yes", ""), counts.get("no", ""), counts.get("abstain", ""), result.votes, result.counted,
        result.in_favour, round(result.share, 4), result.threshold, result.quorum_met, result.adopted,
    ]  # fmt: skip


def _assembly_data(assembly: Assembly, language: str) -> dict[str, Any]:
    """The assembly's facts and, beside them in the JSON file, its open data
    licence (``licence`` is added by the callers; never a row of the CSV)."""
    return {
        "slug": assembly.slug,
        "title": assembly.title_in(language),
        "remit": assembly.remit_in(language),
        "organisation": assembly.organisation.name,
        "languages": assembly.languages,
        "starts_on": assembly.starts_on.isoformat() if assembly.starts_on else None,
        "ends_on": assembly.ends_on.isoformat() if assembly.ends_on else None,
    }


def reports_url(assembly: Assembly) -> str:
    """The assembly's public reports page as a full address: a printed copy has
    no site to resolve a path against."""
    return settings.SITE_URL.rstrip("/") + reverse("recommendations:reports", args=[assembly.slug])


def final_context(assembly: Assembly, language: str, version: int) -> dict[str, Any]:
    sessions = selectors.programme(assembly)
    recommendations = selectors.reported_recommendations(assembly, language)
    return {
        "assembly": assembly,
        "language": language,
        "version": version,
        "title": assembly.title_in(language),
        "remit": assembly.remit_in(language),
        "description": assembly.description_in(language),
        "made_on": timezone.localdate(),
        "reports_url": reports_url(assembly),
        "selection": selectors.selection(assembly),
        "sessions": [
            {
                "session": s,
                "title": translated(s.title, s.title_translations, language),
                "items": [
                    {"item": i, "title": translated(i.title, i.title_translations, language)}
                    for i in s.items.all()
                ],
            }
            for s in sessions
        ],
        "speakers": selectors.speakers(sessions),
        "recommendations": recommendations,
        # The public pages' figures (one selector): decided and adopted by their deciding ballots.
        "summary": assembly_summary(assembly),
        "statements": [(r, s) for r in recommendations for s in r.statements],
        "evidence": selectors.evidence_list(assembly),
    }


def build_final(assembly_id: int, language: str, as_of: dt.date | None, *, version: int = 0) -> Built:
    assembly = Assembly.objects.select_related("organisation").get(pk=assembly_id)
    context = final_context(assembly, language, version)
    title = _("%(assembly)s: final report") % {"assembly": context["title"]}
    html = render_to_string("recommendations/report/final.html", {**context, "document_title": title})
    items = context["recommendations"]
    selection = context["selection"]
    data = {
        "licence": licence_of(assembly),
        "assembly": _assembly_data(assembly, language),
        "selection": {
            "pool": selection.pool,
            "seats": selection.seats,
            "confirmed": selection.confirmed,
            "lowest_chance": selection.lowest_share,
            "composition": [vars(line) for line in selection.composition],
        }
        if selection.run is not None
        else None,
        "sessions": [
            {
                "title": s["title"],
                "starts_at": s["session"].starts_at.isoformat(),
                "status": s["session"].status,
                "items": [i["title"] for i in s["items"]],
            }
            for s in context["sessions"]
        ],
        "speakers": [
            {"name": sp.name, "kind": sp.kind, "organisation": sp.organisation} for sp in context["speakers"]
        ],
        "recommendations": [
            {
                "number": r.number,
                "title": r.title,
                "text": r.recommendation.text,
                "rationale": r.recommendation.rationale,
                "addressee": r.recommendation.addressee,
                "level": r.recommendation.level,
                "topics": r.topics,
                "result": r.result.as_dict() if r.result is not None else None,
                "minority_statements": [{"text": s.text, "signed_as": s.signed_as} for s in r.statements],
            }
            for r in items
        ],
        "evidence": [{"title": e.title, "kind": e.kind, "url": e.url} for e in context["evidence"]],
    }
    rows = [
        [
            r.number, r.title, r.recommendation.text, r.recommendation.rationale, r.recommendation.addressee,
            r.recommendation.level, "; ".join(r.topics), *_result_cells(r.result),
        ]
        for r in items
    ]  # fmt: skip
    return Built(title=title, html=html, data=data, csv_header=RECOMMENDATION_COLUMNS, csv_rows=rows)


STATUS_LABELS = {
    "adopted": lambda: _("Adopted"),
    "not_adopted": lambda: _("Not adopted"),
    "undecided": lambda: _("Not decided yet"),
}


def build_progress(assembly_id: int, language: str, as_of: dt.date | None, *, version: int = 0) -> Built:
    assembly = Assembly.objects.select_related("organisation").get(pk=assembly_id)
    day = as_of or timezone.localdate()
    lines = selectors.progress_lines(assembly, day, language)
    columns = list(selectors.PROGRESS_COLUMNS)
    title = _("%(assembly)s: progress report") % {"assembly": assembly.title_in(language)}
    html = render_to_string(
        "recommendations/report/progress.html",
        {
            "assembly": assembly,
            "language": language,
            "version": version,
            "document_title": title,
            "title": assembly.title_in(language),
            "as_of": day,
            "made_on": timezone.localdate(),
            "reports_url": reports_url(assembly),
            "lines": [(line, STATUS_LABELS[line.status]()) for line in lines],
            "columns": columns,
            "adopted": sum(1 for line in lines if line.status == "adopted"),
        },
    )
    data = {
        "licence": licence_of(assembly),
        "assembly": _assembly_data(assembly, language),
        "as_of": day.isoformat(),
        "recommendations": [
            {
                "number": line.number,
                "title": line.title,
                "status": line.status,
                "result": line.result.as_dict() if line.result is not None else None,
                **line.extra,
            }
            for line in lines
        ],
    }
    header = ["number", "title", "status", "share", "threshold", "adopted", *(c.key for c in columns)]
    rows = [
        [
            line.number, line.title, line.status,
            round(line.result.share, 4) if line.result else "", line.result.threshold if line.result else "",
            line.result.adopted if line.result else "", *(line.extra.get(c.key, "") for c in columns),
        ]
        for line in lines
    ]  # fmt: skip
    return Built(title=title, html=html, data=data, csv_header=header, csv_rows=rows)
