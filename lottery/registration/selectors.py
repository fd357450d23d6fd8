"""Reads of the pool that may leave the organisers' area: aggregates only."""

from __future__ import annotations

from django.db.models import Count

from assemblies.models import Assembly
from lottery.models import Answer

#: Groups smaller than this are shown as "fewer than N", never as a number.
SMALL_GROUP = 5


def pool_counts(assembly: Assembly, *, small_group: int = SMALL_GROUP) -> dict[str, dict[str, int | None]]:
    """Respondents per feature, by category key. ``None`` stands for a group
    of 1..small_group-1 people (suppressed, so nobody can be singled out);
    an empty group is 0."""
    rows = (
        Answer.objects.filter(assembly=assembly)
        .values("category__name", "feature__value")
        .annotate(n=Count("id"))
        .order_by("category__order", "category_id", "feature__order", "feature_id")
    )
    out: dict[str, dict[str, int | None]] = {}
    for row in rows:
        n = row["n"]
        out.setdefault(row["category__name"], {})[row["feature__value"]] = None if 0 < n < small_group else n
    return out
