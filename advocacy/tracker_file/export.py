"""Write the tracker as CSV or XLSX, every cell formula-safe (reports.csv_safety)."""

from __future__ import annotations

import csv
import io

from assemblies.models import Assembly
from reports.csv_safety import safe_row

from .columns import HEADER, rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(assembly: Assembly) -> list[list[str]]:
    """The header, then one formula-safe row per adopted recommendation."""
    return [list(HEADER), *(safe_row(row.values()) for row in rows(assembly))]


def to_csv(assembly: Assembly) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(table(assembly))
    return out.getvalue().encode("utf-8")


def to_xlsx(assembly: Assembly) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("tracker")
    for values in table(assembly):
        # Every cell as text: a spreadsheet must not turn "2026-03-01" into a number.
        sheet.append([str(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(assembly: Assembly, fmt: str) -> bytes:
    return to_xlsx(assembly) if fmt == "xlsx" else to_csv(assembly)


def filename(assembly: Assembly, fmt: str) -> str:
    return f"{assembly.slug}-tracker.{fmt}"
