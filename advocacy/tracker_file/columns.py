"""The tracker file's columns: one row per adopted recommendation.

The header is fixed (other tools and our checks rely on it)::

    number,title,response_status,response_date,response_due,justification,
    source_url,implementation_status,latest_milestone,evidence_url,notes

Statuses are the TextChoices values (lowercase words joined by underscores),
dates ISO (YYYY-MM-DD), empty cells for "none". ``title`` is informational:
the import ignores it (with a warning when it differs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from advocacy.models import ImplementationStatus, Milestone, ResponseStatus
from advocacy.tracking.services import default_due_on
from assemblies.models import Assembly
from recommendations.models import Recommendation, RecommendationStatus

HEADER: tuple[str, ...] = (
    "number",
    "title",
    "response_status",
    "response_date",
    "response_due",
    "justification",
    "source_url",
    "implementation_status",
    "latest_milestone",
    "evidence_url",
    "notes",
)

RESPONSE_COLUMNS = ("response_status", "response_date", "response_due", "justification", "source_url")
MILESTONE_COLUMNS = ("latest_milestone", "evidence_url")
DATE_COLUMNS = ("response_date", "response_due")
URL_COLUMNS = ("source_url", "evidence_url")


@dataclass(frozen=True)
class Row:
    """What the tracker says about one recommendation, as text cells."""

    recommendation: Recommendation
    cells: dict[str, str]

    def values(self) -> list[str]:
        return [self.cells[name] for name in HEADER]


def recommendations(assembly: Assembly) -> QuerySet[Recommendation]:
    """The adopted recommendations, with everything a row needs, in three queries."""
    return (
        Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED)
        .select_related("assembly", "response", "tracking")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id"), to_attr="ordered")
        )
        .order_by("number")
    )


def latest_milestone(recommendation: Recommendation) -> Milestone | None:
    ordered = getattr(recommendation, "ordered", None)
    if ordered is None:
        return recommendation.milestones.order_by("-date", "-id").first()
    return ordered[-1] if ordered else None


def row_for(recommendation: Recommendation) -> Row:
    response = getattr(recommendation, "response", None)
    tracking = getattr(recommendation, "tracking", None)
    milestone = latest_milestone(recommendation)
    # A recommendation with no response row yet gets one, with this due date,
    # the first time it changes: show it now, so that importing is exact.
    due = response.due_on if response else default_due_on(recommendation.assembly)
    cells = {
        "number": str(recommendation.number),
        "title": recommendation.title,
        "response_status": response.status if response else ResponseStatus.NO_RESPONSE.value,
        "response_date": response.responded_on.isoformat() if response and response.responded_on else "",
        "response_due": due.isoformat() if due else "",
        "justification": response.justification if response else "",
        "source_url": response.source_url if response else "",
        "implementation_status": (
            tracking.implementation_status if tracking else ImplementationStatus.NOT_STARTED.value
        ),
        "latest_milestone": milestone.title if milestone else "",
        "evidence_url": milestone.evidence_url if milestone else "",
        "notes": tracking.notes if tracking else "",
    }
    return Row(recommendation, {k: str(v) for k, v in cells.items()})


def rows(assembly: Assembly) -> list[Row]:
    return [row_for(r) for r in recommendations(assembly)]
