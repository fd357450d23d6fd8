"""What the tracker adds to other apps' pages: the assembly's public page
(headline section), the organisers' dashboard, the recommendation pages and
the recommendations API rows (through ``recommendations.public.extensions``)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from assemblies.registry import Figure, Section
from recommendations.models import Recommendation
from recommendations.models.drafting import RecommendationStatus

from ..models import Response, Tracking
from . import selectors


def public_section(assembly: Assembly) -> Section | None:
    """The headline on the assembly's public page, with the link to the tracker."""
    if not selectors.tracker_is_public(assembly):
        return None
    headline = selectors.headline(assembly)
    if not headline.total:  # no adopted recommendation (each one lands in one bucket)
        return None
    return Section(
        "tracker",
        _("What happened to the recommendations"),
        [
            Figure(_("Implemented in full"), headline.full),
            Figure(_("Implemented in part"), headline.part),
            Figure(_("Not implemented"), headline.none),
            Figure(_("No response"), headline.no_response),
        ],
        [
            (
                _("The tracker: every response and step taken"),
                reverse("advocacy:tracker", args=[assembly.slug]),
            )
        ],
    )


def dashboard_section(assembly: Assembly) -> Section | None:
    """Organisers' dashboard: the headline (internal view), overdue responses and entries to review."""
    if not selectors.adopted(assembly).exists():
        return None
    headline = selectors.headline(assembly, public=False)
    overdue = selectors.overdue_responses(assembly).count()
    pending = Response.objects.filter(recommendation__assembly=assembly).exclude(pending={}).count()
    return Section(
        "tracker",
        _("Responses and implementation"),
        [
            Figure(_("Implemented in full"), headline.full),
            Figure(_("Implemented in part"), headline.part),
            Figure(_("Not implemented"), headline.none),
            Figure(_("No response"), headline.no_response),
            Figure(_("Responses overdue"), overdue),
            Figure(_("Institutions' entries to review"), pending),
        ],
        [
            (_("The tracker"), reverse("admin:advocacy_response_assembly", args=[assembly.pk])),
            (_("Overdue responses"), reverse("admin:advocacy_response_overdue", args=[assembly.pk])),
        ],
    )


def row_fields(assembly: Assembly, recommendations: list[Recommendation]) -> dict[int, dict[str, Any]]:
    """``response`` and ``implementation_status`` for each row of the recommendations API."""
    ids = [r.pk for r in recommendations if r.status == RecommendationStatus.ADOPTED]
    responses = {
        r.recommendation_id: r
        for r in Response.objects.filter(recommendation_id__in=ids).select_related("institution")
    }
    trackings = {t.recommendation_id: t for t in Tracking.objects.filter(recommendation_id__in=ids)}
    out: dict[int, dict[str, Any]] = {}
    for recommendation in recommendations:
        if recommendation.pk not in ids:
            continue
        summary = selectors.summary_dict(
            recommendation, responses.get(recommendation.pk), trackings.get(recommendation.pk)
        )
        out[recommendation.pk] = {
            "response": {k: v for k, v in summary["response"].items() if k != "label"},
            "implementation_status": summary["implementation_status"],
        }
    return out


#: The one-to-one rows the section reads, joined to the recommendation.
_ROWS = ("response", "tracking")
DETAIL_RELATED = ("response__institution", "tracking")


def _with_rows(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_related(*DETAIL_RELATED).get(pk=recommendation.pk)


def detail_section(recommendation: Recommendation) -> SafeString | None:
    """On the recommendation's public page: its response and implementation status."""
    if recommendation.status != RecommendationStatus.ADOPTED:
        return None  # as recommendation_summary
    # recommendation_summary's figures from its response (with the institution)
    # and its tracking row, read with it on the public page (the plugin's
    # extensions.add_detail_related), else read here in one query; the dates
    # below come from it too. Each is None when missing.
    fields = [Recommendation._meta.get_field(name) for name in _ROWS]
    read_with = all(field.is_cached(recommendation) for field in fields)  # type: ignore[union-attr]
    row = recommendation if read_with else _with_rows(recommendation)
    response: Response | None = getattr(row, "response", None)
    summary = selectors.summary_dict(recommendation, response, getattr(row, "tracking", None))
    assembly = recommendation.assembly
    published = response is not None and response.is_published
    tracker_url = (
        reverse("advocacy:tracker", args=[assembly.slug]) + f"#recommendation-{recommendation.number}"
        if selectors.tracker_is_public(assembly)
        else ""
    )
    return mark_safe(  # noqa: S308 (a template's output)
        render_to_string(
            "advocacy/tracking/_recommendation_status.html",
            {
                "summary": summary,
                "response_date": response.responded_on if published and response else None,
                "due": response.due_on if response else None,
                "tracker_url": tracker_url,
            },
        )
    )
