"""Counts for the public pages' figures, several in one statement.

Built by the ORM, a count costs 0.3-0.8 ms of Python (the query's
construction and compilation, more than the database's work), and the
assembly's public page shows a dozen figures across the apps' sections: a
page computed from scratch must still serve 150 requests/s on two cores
(issue 13). So a section states its counts as a model and equalities on its
columns (``Tally``), and ``tally`` reads them as scalar subqueries of one
SELECT: 0.05-0.1 ms. Column and table names come from the models' metadata
and every value is a bound parameter; the conditions mean what the ORM's
``filter`` and ``exclude`` mean (tests/assemblies/test_figures.py compares
them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Model


@dataclass(frozen=True)
class Tally:
    """``model`` rows where every ``where`` column equals its value (None: IS
    NULL) and no ``exclude`` column equals its value."""

    model: type[Model]
    where: Mapping[str, Any]
    exclude: Mapping[str, Any] = field(default_factory=dict)


def _column(model_field: Any) -> str:
    column = getattr(model_field, "column", None)
    if not isinstance(column, str):  # a reverse relation or a many-to-many: no column here
        raise ValueError(f"{model_field.name} is not a column of its table")
    return column


def tally(*tallies: Tally) -> list[int]:
    """The count of each tally, in order, in one statement."""
    if not tallies:
        return []
    using = router.db_for_read(tallies[0].model)
    quote = connections[using].ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    for t in tallies:
        meta = t.model._meta
        conditions = []
        for negate, pairs in ((False, t.where), (True, t.exclude)):
            for name, value in pairs.items():
                model_field = meta.get_field(name)
                column = quote(_column(model_field))
                if value is None:
                    conditions.append(f"{column} IS {'NOT ' if negate else ''}NULL")
                elif negate and getattr(model_field, "null", False):  # as the ORM's exclude: NULLs stay
                    conditions.append(f"({column} <> %s OR {column} IS NULL)")
                    params.append(value)
                else:
                    conditions.append(f"{column} {'<>' if negate else '='} %s")
                    params.append(value)
        where = " AND ".join(conditions) or "1 = 1"
        # Names from the models, values bound: nothing from outside enters the SQL.
        parts.append(f"(SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {where})")  # noqa: S608
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]
