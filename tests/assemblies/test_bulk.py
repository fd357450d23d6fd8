"""The bulk-insert helper writes exactly the rows it is given."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from assemblies.bulk import bulk_insert
from lottery.models import Address, InvitationRound


def _round(assembly: Any) -> InvitationRound:
    return InvitationRound.objects.create(assembly=assembly, name="Bulk")


def _insert_and_read(assembly: Any) -> list[tuple[Any, ...]]:
    round_ = _round(assembly)
    columns = ("assembly_id", "round_id", "line_number", "line1", "line2", "town", "postcode", "region")
    rows = [
        (assembly.pk, round_.pk, n, f"{n} High St", "", "Town", "AB1 2CD", "north") for n in range(2, 2502)
    ]
    with transaction.atomic():
        bulk_insert(Address, columns, rows)
        bulk_insert(Address, columns, [])  # nothing to do
    return list(
        Address.objects.filter(round=round_).order_by("line_number").values_list("line_number", "line1")
    )


def test_rows_are_inserted_in_batches(assembly: Any) -> None:
    got = _insert_and_read(assembly)
    assert len(got) == 2500
    assert got[0] == (2, "2 High St") and got[-1] == (2501, "2501 High St")


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_rows_are_copied_on_postgresql(assembly: Any) -> None:
    got = _insert_and_read(assembly)
    assert len(got) == 2500 and got[-1] == (2501, "2501 High St")
