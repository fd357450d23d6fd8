"""Cells safe to open in a spreadsheet (CSV/formula injection).

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula (and strip a leading tab or carriage return before
looking), so a respondent who types ``=HYPERLINK(...)`` as their street could
run code on an organiser's machine. Every CSV we export goes through
``safe_row``: such a cell is prefixed with an apostrophe, which spreadsheets
show as text and do not display.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DANGEROUS_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


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
