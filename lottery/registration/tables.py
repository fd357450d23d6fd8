"""Read an uploaded CSV or XLSX one row at a time, with limits.

A spreadsheet says how big it is (its "dimension") and openpyxl would trust
it: a 5 KB file claiming ``A1:XFD1048576`` with one cell in its last row once
took 2.5 GB and 18 s. Here the claimed dimension is ignored, rows are streamed
(openpyxl's read-only mode, or the csv module over the open file), and reading
stops with a plain message at the first row or column past the limits.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

#: People in one pool file: far above any civic lottery's pool.
MAX_ROWS = 300_000
#: Contact columns plus one per question, with room to spare.
MAX_COLUMNS = 200
#: What an XLSX (a zip) may unpack to. A real 300,000-row pool unpacks to
#: about 150 MB; a 300 KB file holding one 300-million-character cell took
#: 600 MB to read, and the upload limit (10 MB) allows a thousand times that.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


class TableError(Exception):
    """The file as a whole cannot be read; the message says why, in plain words."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line as a spreadsheet shows it, cells)


def read_table(
    file: IO[bytes], name: str, *, max_rows: int | None = None, max_columns: int | None = None
) -> Table:
    """Headers and a stream of (line, cells); the header is line 1 and blank
    lines still count, as in a spreadsheet. Raises TableError when the file
    cannot be read or passes a limit (possibly while the rows are read)."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_columns = MAX_COLUMNS if max_columns is None else max_columns
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(file, max_rows=max_rows, max_columns=max_columns)
    return _read_csv(file, max_rows=max_rows, max_columns=max_columns)


def _too_many_rows(max_rows: int) -> TableError:
    return TableError(
        _("The file has more than %(n)s rows. Split it into smaller files and import each.") % {"n": max_rows}
    )


def _check_width(line: int, cells: list[Any], max_columns: int) -> list[Any]:
    if len(cells) > max_columns:
        if any(c not in (None, "") for c in cells[max_columns:]):
            raise TableError(
                _("Line %(line)s has more than %(n)s columns. Remove the extra columns and try again.")
                % {"line": line, "n": max_columns}
            )
        return cells[:max_columns]
    return cells


def _check_unzipped_size(file: IO[bytes]) -> None:
    """Refuse an XLSX whose parts unpack to more than MAX_UNZIPPED_BYTES, from
    the sizes its zip directory declares (zipfile never unpacks more than a
    part declares: a part that lies fails its checksum instead)."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(
            _("The file could not be read. Save it as CSV (UTF-8) or XLSX and try again.")
        ) from exc
    finally:
        file.seek(0)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TableError(
            _(
                "The spreadsheet holds more than %(n)s MB of data once unpacked. Remove what is not "
                "the pool (other sheets, pictures, very long cells), or save it as CSV, and try again."
            )
            % {"n": MAX_UNZIPPED_BYTES // (1024 * 1024)}
        )


def _read_xlsx(file: IO[bytes], *, max_rows: int, max_columns: int) -> Table:
    from openpyxl import load_workbook

    _check_unzipped_size(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise TableError(
            _("The file could not be read. Save it as CSV (UTF-8) or XLSX and try again.")
        ) from exc
    sheet.reset_dimensions()  # never trust the claimed size
    rows = sheet.iter_rows(values_only=True)

    def stream() -> Iterator[tuple[int, list[Any]]]:
        try:
            for line, values in enumerate(rows, start=2):  # the header was line 1
                if line > max_rows + 1:
                    raise _too_many_rows(max_rows)
                yield line, _check_width(line, list(values), max_columns)
        finally:
            workbook.close()

    try:
        first = next(rows, None)
    except Exception as exc:
        workbook.close()
        raise TableError(
            _("The file could not be read. Save it as CSV (UTF-8) or XLSX and try again.")
        ) from exc
    headers = [
        str(h if h is not None else "").strip() for h in _check_width(1, list(first or ()), max_columns)
    ]
    return Table(headers, stream())


def _read_csv(file: IO[bytes], *, max_rows: int, max_columns: int) -> Table:
    physical = {"line": 0}

    def lines() -> Iterator[str]:
        # Decoded one line at a time, so an encoding error names its line.
        for raw in file:
            physical["line"] += 1
            try:
                yield raw.decode("utf-8-sig" if physical["line"] == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise TableError(
                    _("Line %(line)s is not UTF-8 text. Save the file as “CSV UTF-8” and try again.")
                    % {"line": physical["line"]}
                ) from exc

    reader = csv.reader(lines())

    def next_row() -> list[str] | None:
        try:
            return next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise TableError(
                _("Line %(line)s cannot be read: %(why)s.") % {"line": physical["line"], "why": exc}
            ) from exc

    first = next_row()
    headers = [h.strip() for h in _check_width(1, first or [], max_columns)]

    def stream() -> Iterator[tuple[int, list[Any]]]:
        start = physical["line"] + 1
        while (cells := next_row()) is not None:
            line = start
            start = physical["line"] + 1
            if line > max_rows + 1:
                raise _too_many_rows(max_rows)
            yield line, _check_width(line, cells, max_columns)

    return Table(headers, stream())
