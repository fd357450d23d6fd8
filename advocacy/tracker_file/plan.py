"""Read a tracker file and compare it with the tracker: the plan of changes.

Everything is checked before anything is applied: a plan with errors is
refused as a whole. Each error names its row (as a spreadsheet numbers it: the
header is row 1) and its column.

Formula safety: the export prefixes a cell that a spreadsheet would run as a
formula with an apostrophe (``reports.csv_safety``). Here that prefix is
removed before comparing; a cell that still begins like a formula (someone
typed ``=SUM(…)`` into it) is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.models import ImplementationStatus, ResponseStatus
from assemblies.models import Assembly
from lottery.registration.tables import TableError, read_table
from recommendations.models import Recommendation
from reports.csv_safety import DANGEROUS_FIRST_CHARACTERS

from .columns import (
    DATE_COLUMNS,
    HEADER,
    MILESTONE_COLUMNS,
    RESPONSE_COLUMNS,
    URL_COLUMNS,
    Row,
    recommendations,
    row_for,
)

#: Far more recommendations than any assembly adopts.
MAX_ROWS = 2000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEXT_LIMITS = {"latest_milestone": 300}


@dataclass(frozen=True)
class Change:
    row: int
    column: str
    old: str
    new: str
    recommendation: Recommendation

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(old)s → %(new)s") % {
            "row": self.row,
            "column": self.column,
            "old": _shown(self.old),
            "new": _shown(self.new),
        }


@dataclass(frozen=True)
class Problem:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: (recommendation, its row now, the file's cells) for rows with a change.
    updates: list[tuple[Recommendation, Row, dict[str, str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def count_line(n: int) -> str:
    """The line every run ends with: "0 changes", "1 change", "12 changes"."""
    return ngettext("%(n)s change", "%(n)s changes", n) % {"n": n}


def _shown(value: str) -> str:
    if value == "":
        return _("(empty)")
    value = value.replace("\n", " ")
    return f"“{value[:80]}…”" if len(value) > 80 else f"“{value}”"


def clean_cell(value: Any) -> tuple[str, bool]:
    """The cell as text without the export's formula-safety prefix, and
    whether it still begins like a formula."""
    if value is None:
        return "", False
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    if not isinstance(value, str):
        return str(value), False
    text = value
    if text.startswith("'") and text[1:].startswith(DANGEROUS_FIRST_CHARACTERS):
        return text[1:].replace("\r\n", "\n"), False
    if text.startswith(DANGEROUS_FIRST_CHARACTERS):
        return text, True
    return text.replace("\r\n", "\n"), False


def _same(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def read(file: IO[bytes], name: str, assembly: Assembly) -> Plan:
    """Read the whole file and compare it with the tracker; nothing is written."""
    plan = Plan()
    try:
        table = read_table(file, name, max_rows=MAX_ROWS, max_columns=len(HEADER) + 20)
        headers = table.headers
        if tuple(headers) != HEADER:
            plan.errors.append(_header_problem(headers))
            return plan
        lines = list(table.rows)
    except TableError as exc:
        plan.errors.append(Problem(1, None, str(exc)))
        return plan
    if name.lower().endswith(".xlsx"):
        # A spreadsheet does not store a row's empty cells at its end: pad them.
        lines = [(line, [*cells, *[None] * (len(HEADER) - len(cells))]) for line, cells in lines]
    return compare(lines, assembly, plan)


def _header_problem(headers: list[str]) -> Problem:
    expected = ",".join(HEADER)
    for index, name in enumerate(HEADER):
        if index >= len(headers):
            return Problem(
                1,
                name,
                _("the column is missing. The first row must be exactly: %(header)s") % {"header": expected},
            )
        if headers[index] != name:
            return Problem(
                1,
                headers[index] or str(index + 1),
                _("expected “%(name)s” here. The first row must be exactly: %(header)s")
                % {"name": name, "header": expected},
            )
    extra = headers[len(HEADER)]
    return Problem(
        1,
        extra or str(len(HEADER) + 1),
        _("an extra column. The first row must be exactly: %(header)s") % {"header": expected},
    )


def compare(lines: Iterable[tuple[int, list[Any]]], assembly: Assembly, plan: Plan | None = None) -> Plan:
    plan = plan or Plan()
    by_number = {r.number: r for r in recommendations(assembly)}
    seen: dict[int, int] = {}
    for line, raw in lines:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue  # a blank line
        if len(raw) > len(HEADER) and any(v not in (None, "") for v in raw[len(HEADER) :]):
            plan.errors.append(Problem(line, None, _("this row has more cells than the header.")))
            continue
        if len(raw) < len(HEADER):
            plan.errors.append(
                Problem(
                    line,
                    HEADER[len(raw)],
                    _("this row ends before this column; every row has all %(n)s columns.")
                    % {"n": len(HEADER)},
                )
            )
            continue
        cells: dict[str, str] = {}
        bad = False
        for index, name in enumerate(HEADER):
            text, formula = clean_cell(raw[index])
            if formula:
                plan.errors.append(
                    Problem(line, name, _("this cell is a formula; the tracker takes plain text only."))
                )
                bad = True
            cells[name] = text
        if bad:
            continue
        recommendation = _recommendation(line, cells["number"], by_number, seen, plan)
        if recommendation is None:
            continue
        _compare_row(line, recommendation, cells, plan)
    return plan


def _recommendation(
    line: int, number: str, by_number: dict[int, Recommendation], seen: dict[int, int], plan: Plan
) -> Recommendation | None:
    text = number.strip()
    if not text.isdigit():
        plan.errors.append(
            Problem(line, "number", _("“%(v)s” is not a recommendation number.") % {"v": text})
        )
        return None
    n = int(text)
    if n in seen:
        plan.errors.append(
            Problem(
                line, "number", _("recommendation %(n)s is also on row %(row)s.") % {"n": n, "row": seen[n]}
            )
        )
        return None
    seen[n] = line
    recommendation = by_number.get(n)
    if recommendation is None:
        plan.errors.append(
            Problem(line, "number", _("this assembly has no adopted recommendation %(n)s.") % {"n": n})
        )
    return recommendation


def _check(line: int, name: str, value: str, plan: Plan) -> bool:
    """Is the cell valid for its column? (An error is recorded when not.)"""
    value = value.strip()
    message = None
    if name == "response_status" and value not in ResponseStatus.values:
        message = _("“%(v)s” is not a response status. Use one of: %(choices)s.") % {
            "v": value,
            "choices": ", ".join(ResponseStatus.values),
        }
    elif name == "implementation_status" and value not in ImplementationStatus.values:
        message = _("“%(v)s” is not an implementation status. Use one of: %(choices)s.") % {
            "v": value,
            "choices": ", ".join(ImplementationStatus.values),
        }
    elif name in DATE_COLUMNS and value and parse_date(value) is None:
        message = _("“%(v)s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-31.") % {"v": value}
    elif name in URL_COLUMNS and value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            message = _("“%(v)s” is not a web address (https://…).") % {"v": value}
    elif name in TEXT_LIMITS and len(value) > TEXT_LIMITS[name]:
        message = _("at most %(n)s characters.") % {"n": TEXT_LIMITS[name]}
    if message:
        plan.errors.append(Problem(line, name, message))
        return False
    return True


def parse_date(value: str) -> dt.date | None:
    if not ISO_DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _compare_row(line: int, recommendation: Recommendation, cells: dict[str, str], plan: Plan) -> None:
    current = row_for(recommendation)
    if not _same(current.cells["title"], cells["title"]):
        plan.warnings.append(
            Problem(line, "title", _("the title is not imported (it is the recommendation's); ignored."))
        )
    changes: list[Change] = []
    valid = True
    milestone_changed = any(not _same(current.cells[c], cells[c]) for c in MILESTONE_COLUMNS)
    for name in HEADER:
        if name in ("number", "title"):
            continue
        old, new = current.cells[name], cells[name]
        if name in ("response_status", "implementation_status"):
            new = new.strip()
        if _same(old, new):
            continue
        if not _check(line, name, new, plan):
            valid = False
            continue
        changes.append(Change(line, name, old.strip(), new.strip(), recommendation))
    if milestone_changed and not cells["latest_milestone"].strip():
        plan.errors.append(
            Problem(
                line,
                "latest_milestone",
                _("a new milestone needs its title here (the evidence alone is not a milestone)."),
            )
        )
        valid = False
    response_changed = any(c.column in RESPONSE_COLUMNS for c in changes)
    status = cells["response_status"].strip()
    if response_changed and status != "no_response" and not cells["response_date"].strip():
        plan.errors.append(Problem(line, "response_date", _("give the date of the response (YYYY-MM-DD).")))
        valid = False
    if valid and changes:
        plan.changes.extend(changes)
        plan.updates.append((recommendation, current, {k: v.strip() for k, v in cells.items()}))
