"""Advocacy's columns in every progress report (recommendations.report's hook):
each recommendation's response and implementation status at the report's
date, replayed from the status history (so a report "as of" a past date shows
that date's figures), as the public sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext_lazy

from advocacy.models import ImplementationStatus, ResponseStatus
from advocacy.tracking.selectors import _states_at
from assemblies.models import Assembly
from recommendations.models import Recommendation, RecommendationStatus


def _states(recommendations: Sequence[Recommendation], as_of: dt.date) -> dict[int, dict[str, str]]:
    ids = [r.pk for r in recommendations if r.status == RecommendationStatus.ADOPTED]
    return _states_at(ids, as_of, public=True)


def _label(choices: type[ResponseStatus] | type[ImplementationStatus], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def response_rows(
    assembly: Assembly, as_of: dt.date, recommendations: Sequence[Recommendation]
) -> dict[int, str]:
    return {
        pk: _label(ResponseStatus, state["response_status"])
        for pk, state in _states(recommendations, as_of).items()
    }


def implementation_rows(
    assembly: Assembly, as_of: dt.date, recommendations: Sequence[Recommendation]
) -> dict[int, str]:
    return {
        pk: _label(ImplementationStatus, state["implementation_status"])
        for pk, state in _states(recommendations, as_of).items()
    }


def register() -> None:
    try:  # the reports pipeline's progress report (recommendations.report)
        from recommendations.report.selectors import ProgressColumn, register_progress_rows
    except ImportError:  # pragma: no cover - not there yet: the reminder still works
        return

    register_progress_rows(ProgressColumn("response", gettext_lazy("Response"), response_rows))
    register_progress_rows(
        ProgressColumn("implementation", gettext_lazy("Implementation"), implementation_rows)
    )
