"""Spreadsheet cells that cannot run as formulas, in every export we make."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from reports.csv_safety import safe_cell, safe_row

FORMULA_STARTS = [
    "=1+1",
    "+1",
    "-cmd",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "|calc",  # DDE: =cmd|' /C calc'!A0 also works without the =
    "＝1+1",  # full-width forms, typed by East Asian input methods
    "＋1",
    "－1+1",
    "＠SUM(A1)",
    "｜calc",
    '=HYPERLINK("https://evil.example.org","Click")',
]


@pytest.mark.parametrize("value", FORMULA_STARTS)
def test_a_cell_that_would_run_is_escaped(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["1 High St", "", "a=b", "x|y", "Café ＝ ok", " =1", "'already text", "\ufeffName"],
)
def test_plain_text_is_kept(value: str) -> None:
    # Only the first character matters: that is what a spreadsheet looks at.
    assert safe_cell(value) == value


def test_numbers_and_empty_cells_stay_as_they_are() -> None:
    assert safe_row(["1 High St", -3, -2.5, Decimal("-1.10"), None, ""]) == [
        "1 High St",
        -3,
        -2.5,
        Decimal("-1.10"),
        None,
        "",
    ]


def test_the_print_house_csv_is_safe(assembly: Any) -> None:
    from lottery.invitations import services
    from lottery.models import Address, Invitation, InvitationRound

    round = InvitationRound.objects.create(assembly=assembly, name="Spring letters")
    for n, (line1, town) in enumerate([("|calc", "＝1+1"), ("＠SUM(A1)", "－2"), ("1 High St", "Town")], 1):
        address = Address.objects.create(
            assembly=assembly, round=round, line_number=n + 1, line1=line1, town=town, postcode="AB1 2CD"
        )
        Invitation.objects.create(assembly=assembly, round=round, address=address, sequence=n)
    text = "".join(services.csv_lines(services.print_house_rows(round)))
    header, *rows = list(csv.reader(io.StringIO(text)))
    by_column = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["address_line_1"], r["town"]) for r in by_column] == [
        ("'|calc", "'＝1+1"),
        ("'＠SUM(A1)", "'－2"),
        ("1 High St", "Town"),
    ]


def test_a_respondents_export_is_safe() -> None:
    from lottery.registration import services

    export = services.RespondentExport(
        {
            "person": {"first_name": "|calc", "last_name": "＝HYPERLINK(1)", "languages": ["＋en", "fr"]},
            "answers": [{"question": "Town", "answer": "＠home"}],
            "emails": [{"created_at": "2026-01-01", "subject": "－1"}],
        }
    )
    rows = dict(csv.reader(io.StringIO(export.as_csv().decode("utf-8-sig"))))
    assert rows["first_name"] == "'|calc"
    assert rows["last_name"] == "'＝HYPERLINK(1)"
    assert rows["languages"] == "'＋en; fr"
    assert rows["answer: Town"] == "'＠home"
    assert rows["email sent 2026-01-01"] == "'－1"
