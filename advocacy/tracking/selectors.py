"""Reads of the tracker: the one headline (now or at any past date, from the
status history), institutions' scorecards, overdue responses, the public rows.

Nothing here returns an unpublished response or an institution's pending entry
for the public: public callers use ``public_*`` functions, which show an
unpublished response as "no response yet".
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from assemblies.models import Assembly, Stage, TeamMembership
from recommendations.models import Recommendation
from recommendations.models.drafting import RecommendationStatus

from ..models import (
    ImpactTag,
    ImplementationStatus,
    Institution,
    Milestone,
    Response,
    ResponseStatus,
    StatusChange,
)
from ..rules import MANAGE_ADVOCACY

#: Stages in which an assembly's tracker is public (when the assembly is public).
PUBLIC_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP, Stage.CLOSED)

FULL, PART, NONE, NO_RESPONSE = "full", "part", "none", "no_response"
BUCKETS = (FULL, PART, NONE, NO_RESPONSE)


def bucket(response_status: str, implementation_status: str) -> str:
    """Which headline figure a recommendation counts in.

    The implementation decides first: implemented → in full; implemented in a
    weaker form or in progress → in part; abandoned → not at all. Nothing
    started: "no response" while there is none, else not at all (accepted but
    not started, rejected, referred)."""
    if implementation_status == ImplementationStatus.IMPLEMENTED:
        return FULL
    if implementation_status in (ImplementationStatus.IMPLEMENTED_WEAKER, ImplementationStatus.IN_PROGRESS):
        return PART
    if implementation_status == ImplementationStatus.ABANDONED:
        return NONE
    if response_status in ("", ResponseStatus.NO_RESPONSE):
        return NO_RESPONSE
    return NONE


@dataclass
class Headline:
    as_of: dt.date
    full: int = 0
    part: int = 0
    none: int = 0
    no_response: int = 0

    @property
    def total(self) -> int:
        return self.full + self.part + self.none + self.no_response

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "implemented_in_full": self.full,
            "implemented_in_part": self.part,
            "not_implemented": self.none,
            "no_response": self.no_response,
            "total": self.total,
        }


def adopted(assembly: Assembly) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED).order_by(
        "number", "id"
    )


def _states_at(
    recommendation_ids: Iterable[int],
    as_of: dt.date | None,
    *,
    public: bool,
    hidden: set[int] | None = None,
) -> dict[int, dict[str, str]]:
    """Each recommendation's response and implementation status at the end of
    ``as_of`` (None: now), replayed from the status history. For the public, a
    response recorded while unpublished counts as no response (``hidden``:
    those recommendations, when the caller has read them)."""
    ids = list(recommendation_ids)
    states: dict[int, dict[str, str]] = {
        pk: {
            "response_status": ResponseStatus.NO_RESPONSE,
            "implementation_status": ImplementationStatus.NOT_STARTED,
        }
        for pk in ids
    }
    changes = StatusChange.objects.filter(
        recommendation_id__in=ids, field__in=("response_status", "implementation_status")
    )
    if as_of is not None:
        changes = changes.filter(effective_on__lte=as_of)
    for recommendation_id, name, new in changes.order_by("effective_on", "recorded_at", "id").values_list(
        "recommendation_id", "field", "new"
    ):
        states[recommendation_id][name] = new
    if public:
        if hidden is None:
            hidden = set(
                Response.objects.filter(recommendation_id__in=ids, is_published=False).values_list(
                    "recommendation_id", flat=True
                )
            )
        for pk in hidden:
            states[pk]["response_status"] = ResponseStatus.NO_RESPONSE
    return states


def headline(assembly: Assembly, as_of: dt.date | None = None, *, public: bool = True) -> Headline:
    """How many adopted recommendations are implemented in full, in part, not
    at all, or have no response, at the end of ``as_of`` (default: today),
    recomputed from the status history."""
    # With, for the public, whether its response (one at most) is unpublished:
    # one query, joined (cheaper to build than a subquery).
    rows: list[tuple[int, bool | None]]
    if public:
        rows = list(adopted(assembly).values_list("pk", "response__is_published"))
    else:
        rows = [(pk, None) for pk in adopted(assembly).values_list("pk", flat=True)]
    ids = [pk for pk, _published in rows]
    hidden = {pk for pk, published in rows if published is False}
    result = Headline(as_of=as_of or timezone.localdate())
    for state in _states_at(ids, as_of, public=public, hidden=hidden).values():
        name = bucket(state["response_status"], state["implementation_status"])
        setattr(result, name, getattr(result, name) + 1)
    return result


def headline_series(assembly: Assembly, *, public: bool = True) -> list[Headline]:
    """The headline at each date on which something changed (and today)."""
    ids = list(adopted(assembly).values_list("pk", flat=True))
    dates = sorted(
        set(
            StatusChange.objects.filter(
                recommendation_id__in=ids, field__in=("response_status", "implementation_status")
            ).values_list("effective_on", flat=True)
        )
    )
    today = timezone.localdate()
    if not dates or dates[-1] < today:
        dates.append(today)
    changes = list(
        StatusChange.objects.filter(
            recommendation_id__in=ids, field__in=("response_status", "implementation_status")
        )
        .order_by("effective_on", "recorded_at", "id")
        .values_list("recommendation_id", "field", "new", "effective_on")
    )
    hidden = (
        set(
            Response.objects.filter(recommendation_id__in=ids, is_published=False).values_list(
                "recommendation_id", flat=True
            )
        )
        if public
        else set()
    )
    states = {
        pk: {
            "response_status": ResponseStatus.NO_RESPONSE.value,
            "implementation_status": ImplementationStatus.NOT_STARTED.value,
        }
        for pk in ids
    }
    series: list[Headline] = []
    index = 0
    for day in dates:
        while index < len(changes) and changes[index][3] <= day:
            recommendation_id, name, new, _day = changes[index]
            states[recommendation_id][name] = new
            index += 1
        point = Headline(as_of=day)
        for pk, state in states.items():
            response = ResponseStatus.NO_RESPONSE if pk in hidden else state["response_status"]
            name = bucket(response, state["implementation_status"])
            setattr(point, name, getattr(point, name) + 1)
        series.append(point)
    return series


# --- overdue responses -------------------------------------------------------------------
def overdue_responses(assembly: Assembly | None = None, today: dt.date | None = None) -> QuerySet[Response]:
    """Responses still awaited after their due date (adopted recommendations only)."""
    today = today or timezone.localdate()
    responses = Response.objects.filter(
        status=ResponseStatus.NO_RESPONSE,
        due_on__lt=today,
        recommendation__status=RecommendationStatus.ADOPTED,
    ).select_related("recommendation", "recommendation__assembly", "institution")
    if assembly is not None:
        responses = responses.filter(recommendation__assembly=assembly)
    return responses.order_by("due_on", "recommendation__number")


def is_overdue(response: Response | None, today: dt.date | None = None) -> bool:
    if response is None or response.due_on is None:
        return False
    status = response.status if response.is_published else ResponseStatus.NO_RESPONSE
    return status == ResponseStatus.NO_RESPONSE and response.due_on < (today or timezone.localdate())


def organisers_to_remind(assembly: Assembly) -> list[Any]:
    """The team members who manage the tracker (asked by permission, never by role)."""
    users = {
        membership.user
        for membership in TeamMembership.objects.filter(team__organisation_id=assembly.organisation_id)
        .filter(Q(assembly=assembly) | Q(assembly__isnull=True))
        .select_related("user")
    }
    return sorted(
        (u for u in users if u.is_active and u.email and u.has_perm(MANAGE_ADVOCACY, assembly)),
        key=lambda u: u.pk,
    )


# --- scorecards ------------------------------------------------------------------------------
@dataclass
class Scorecard:
    institution: Institution
    addressed: int = 0
    responded: int = 0
    median_days: float | None = None
    implemented: int = 0
    overdue: int = 0

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responded / self.addressed) if self.addressed else None

    @property
    def share_implemented(self) -> float | None:
        return round(100 * self.implemented / self.addressed) if self.addressed else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "institution": self.institution.name,
            "recommendations": self.addressed,
            "responded": self.responded,
            "response_rate_percent": self.response_rate,
            "median_days_to_respond": self.median_days,
            "implemented": self.implemented,
            "share_implemented_percent": self.share_implemented,
            "overdue": self.overdue,
        }


def _reported_on(assembly: Assembly) -> dt.date | None:
    from .services import add_months, default_due_on

    due = default_due_on(assembly)
    return add_months(due, -3) if due else None


def _scorecard(institution: Institution, responses: list[Response], today: dt.date) -> Scorecard:
    card = Scorecard(institution=institution)
    reported = _reported_on(institution.assembly)
    days: list[int] = []
    for response in responses:
        if response.recommendation.status != RecommendationStatus.ADOPTED:
            continue
        card.addressed += 1
        published = response.is_published and response.status != ResponseStatus.NO_RESPONSE
        if published:
            card.responded += 1
            if response.responded_on and reported:
                days.append(max(0, (response.responded_on - reported).days))
        elif is_overdue(response, today):
            card.overdue += 1
        tracking = getattr(response.recommendation, "tracking", None)
        if tracking is not None and tracking.implementation_status == ImplementationStatus.IMPLEMENTED:
            card.implemented += 1
    card.median_days = statistics.median(days) if days else None
    return card


def scorecard(institution: Institution) -> Scorecard:
    """Response rate, median days from the report to the response, share implemented (public figures)."""
    responses = list(
        Response.objects.filter(institution=institution).select_related(
            "recommendation", "recommendation__tracking"
        )
    )
    return _scorecard(institution, responses, timezone.localdate())


def scorecards(assembly: Assembly) -> list[Scorecard]:
    institutions = list(Institution.objects.filter(assembly=assembly).select_related("assembly"))
    by_institution: dict[int, list[Response]] = defaultdict(list)
    for response in Response.objects.filter(institution__assembly=assembly).select_related(
        "recommendation", "recommendation__tracking"
    ):
        by_institution[response.institution_id].append(response)  # type: ignore[index]
    today = timezone.localdate()
    return [_scorecard(i, by_institution[i.pk], today) for i in institutions]


# --- the public tracker -------------------------------------------------------------------------
@dataclass
class Row:
    recommendation: Recommendation
    response: Response | None
    response_status: str
    implementation_status: str
    milestones: list[Milestone] = field(default_factory=list)
    tags: list[ImpactTag] = field(default_factory=list)
    rating_average: float | None = None
    rating_count: int = 0
    overdue: bool = False
    due_on: dt.date | None = None

    @property
    def bucket(self) -> str:
        return bucket(self.response_status, self.implementation_status)

    @property
    def response_label(self) -> str:
        return str(ResponseStatus(self.response_status).label)

    @property
    def implementation_label(self) -> str:
        return str(ImplementationStatus(self.implementation_status).label)

    @property
    def latest_milestone(self) -> Milestone | None:
        return self.milestones[-1] if self.milestones else None

    @property
    def public_response(self) -> Response | None:
        return self.response if self.response is not None and self.response.is_published else None


def tracker_rows(
    assembly: Assembly, *, public: bool = True, filters: dict[str, str] | None = None
) -> list[Row]:
    """One row per adopted recommendation, in a fixed number of queries."""
    filters = filters or {}
    recommendations = (
        adopted(assembly)
        .select_related("response", "response__institution", "tracking")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id")),
            Prefetch("impact_tags", queryset=ImpactTag.objects.order_by("area", "kind", "id")),
        )
    )
    ratings = {
        row["recommendation_id"]: row
        for row in Response.objects.filter(recommendation__assembly=assembly)
        .annotate(avg=Avg("ratings__score"), n=Count("ratings"))
        .values("recommendation_id", "avg", "n")
    }
    today = timezone.localdate()
    from .services import default_due_on

    default_due = default_due_on(assembly)
    rows: list[Row] = []
    for recommendation in recommendations:
        try:
            tracking = recommendation.tracking
        except Recommendation.tracking.RelatedObjectDoesNotExist:
            tracking = None
        try:
            response = recommendation.response
        except Recommendation.response.RelatedObjectDoesNotExist:
            response = None
        response_status = ResponseStatus.NO_RESPONSE.value
        if response is not None and (response.is_published or not public):
            response_status = response.status
        rating = ratings.get(recommendation.pk, {})
        row = Row(
            recommendation=recommendation,
            response=response,
            response_status=response_status,
            implementation_status=tracking.implementation_status
            if tracking
            else ImplementationStatus.NOT_STARTED.value,
            milestones=list(recommendation.milestones.all()),
            tags=list(recommendation.impact_tags.all()),
            rating_average=round(rating["avg"], 1) if rating.get("avg") is not None else None,
            rating_count=rating.get("n", 0),
            overdue=_overdue(response, public=public, today=today)
            if response is not None
            else bool(default_due and default_due < today),
            due_on=response.due_on if response is not None else default_due,
        )
        rows.append(row)
    return [row for row in rows if _matches(row, filters)]


def _overdue(response: Response | None, *, public: bool, today: dt.date) -> bool:
    if response is None or response.due_on is None or response.due_on >= today:
        return False
    if public and not response.is_published:
        return True  # nothing published yet
    return response.status == ResponseStatus.NO_RESPONSE


def _matches(row: Row, filters: dict[str, str]) -> bool:
    if filters.get("response") and row.response_status != filters["response"]:
        return False
    if filters.get("implementation") and row.implementation_status != filters["implementation"]:
        return False
    if filters.get("headline") and row.bucket != filters["headline"]:
        return False
    if filters.get("institution"):
        institution = row.response.institution if row.response is not None else None
        if institution is None or str(institution.pk) != filters["institution"]:
            return False
    if filters.get("overdue") and not row.overdue:
        return False
    query = (filters.get("q") or "").strip().lower()
    return not (query and query not in f"{row.recommendation.number} {row.recommendation.title}".lower())


def tracker_is_public(assembly: Assembly) -> bool:
    return bool(assembly.is_public and assembly.stage in PUBLIC_STAGES)


def public_changes(assembly: Assembly, limit: int = 50) -> QuerySet[StatusChange]:
    """Status changes the public may see (feeds): response status once published, and implementation."""
    unpublished = Response.objects.filter(recommendation__assembly=assembly, is_published=False).values(
        "recommendation_id"
    )
    return (
        StatusChange.objects.filter(
            recommendation__assembly=assembly,
            recommendation__status=RecommendationStatus.ADOPTED,
            field__in=("response_status", "implementation_status", "milestone"),
        )
        .exclude(Q(field="response_status") & Q(recommendation_id__in=unpublished))
        .select_related("recommendation")
        .order_by("-recorded_at", "-id")[:limit]
    )


def recommendation_summary(recommendation: Recommendation) -> dict[str, Any] | None:
    """The public response and implementation status of one recommendation (API and pages)."""
    if recommendation.status != RecommendationStatus.ADOPTED:
        return None
    response = Response.objects.filter(recommendation=recommendation).select_related("institution").first()
    tracking = getattr(recommendation, "tracking", None)
    return summary_dict(recommendation, response, tracking)


def summary_dict(recommendation: Recommendation, response: Response | None, tracking: Any) -> dict[str, Any]:
    published = response is not None and response.is_published
    status = response.status if published and response is not None else ResponseStatus.NO_RESPONSE
    implementation = (
        tracking.implementation_status if tracking is not None else ImplementationStatus.NOT_STARTED
    )
    return {
        "response": {
            "status": status,
            "label": str(ResponseStatus(status).label),
            "date": response.responded_on.isoformat()
            if published and response and response.responded_on
            else None,
            "due": response.due_on.isoformat() if response is not None and response.due_on else None,
            "overdue": is_overdue(response),
            "institution": response.institution.name
            if published and response and response.institution
            else None,
            "justification": response.justification if published and response else "",
            "source_url": response.source_url if published and response else "",
        },
        "implementation_status": implementation,
        "implementation_label": str(ImplementationStatus(implementation).label),
    }


def my_ratings(member: Any) -> dict[int, int]:
    """A member's scores by response id."""
    from ..models import Rating

    return dict(Rating.objects.filter(member=member).values_list("response_id", "score"))
