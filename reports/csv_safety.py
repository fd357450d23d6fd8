"""Cells safe to open in a spreadsheet (CSV/formula injection).

How an app exports a table: pass every row through ``safe_row`` just before
the CSV writer (or the XLSX sheet) sees it::

    from reports.csv_safety import safe_row

    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(row))

``safe_cell`` does the same for one value. The values you keep (JSON exports,
the database) stay as typed: only the spreadsheet copy is escaped.

Why: Excel, LibreOffice and Google Sheets run a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, strip a leading tab or carriage return
before looking, treat ``|`` as the start of a DDE call, and (in East Asian
locales, where an input method types them) accept the full-width forms
``＝ ＋ － ＠ ｜`` as the same signs. A respondent who types
``=HYPERLINK(...)`` as their street could otherwise run code on an
organiser's machine. Such a cell is prefixed with an apostrophe, which
spreadsheets take as "this is text" and do not display.

This module is a low layer: it imports nothing of ours, so any app may use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DANGEROUS_FIRST_CHARACTERS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "|",
    "\uff1d",  # ＝ FULLWIDTH EQUALS SIGN
    "\uff0b",  # ＋ FULLWIDTH PLUS SIGN
    "\uff0d",  # － FULLWIDTH HYPHEN-MINUS
    "\uff20",  # ＠ FULLWIDTH COMMERCIAL AT
    "\uff5c",  # ｜ FULLWIDTH VERTICAL LINE
)


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would run as a formula.

    Numbers (int, float, Decimal) and None pass through: a negative number is
    data, not a formula, and stays a number.
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST_CHARACTERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
