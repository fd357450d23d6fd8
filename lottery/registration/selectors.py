"""Reads of the pool: public aggregates (small groups suppressed) and the
lookups the registration services share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from assemblies.models import Assembly
from assemblies.privacy import suppress
from lottery.models import Answer, Feature, Respondent
from notifications.models import OutboxMessage


def pool_counts(assembly: Assembly) -> dict[str, dict[str, int | None]]:
    """Respondents per feature, by category key, for public pages. ``None``
    stands for a small group (``assemblies.privacy``: shown as "fewer than 5",
    so nobody can be singled out); an empty group is 0."""
    rows = (
        Answer.objects.filter(assembly=assembly)
        .values("category__name", "feature__value")
        .annotate(n=Count("id"))
        .order_by("category__order", "category_id", "feature__order", "feature_id")
    )
    out: dict[str, dict[str, int | None]] = {}
    for row in rows:
        out.setdefault(row["category__name"], {})[row["feature__value"]] = suppress(row["n"])
    return out


def features_by_category(assembly: Assembly) -> dict[int, dict[str, Feature]]:
    """The assembly's features: category id → feature value → Feature."""
    out: dict[int, dict[str, Feature]] = {}
    for feature in Feature.objects.filter(assembly=assembly):
        out.setdefault(feature.category_id, {})[feature.value] = feature
    return out


def outbox_of(respondent: Respondent) -> Any:
    """The emails sent to the respondent from this assembly (a queryset)."""
    if not respondent.email:
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(assembly=respondent.assembly, recipient__iexact=respondent.email)
