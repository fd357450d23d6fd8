"""Insert many plain rows at once: PostgreSQL's COPY, else ``bulk_create``.

For imports of up to a million rows (addresses, invitation codes), where
building model instances and one INSERT per batch would dominate. The rows
skip ``save()`` and signals, as ``bulk_create`` does; the caller has checked
them. Any app may use it (``assemblies`` is the lowest layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

#: Rows per INSERT when COPY is not available (SQLite on a laptop).
BULK_CREATE_BATCH = 2000


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``columns``, which are database
    column names such as ``assembly_id``) into ``model``'s table.

    On PostgreSQL the COPY runs on Django's connection, so it is part of the
    caller's transaction: call it inside ``transaction.atomic()``. A unique
    violation surfaces as the driver's IntegrityError (COPY bypasses Django's
    wrapping), so catch ``connection.Database.IntegrityError`` too.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        with (
            connection.connection.cursor() as cursor,  # psycopg 3, in Django's transaction
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BULK_CREATE_BATCH
    )
