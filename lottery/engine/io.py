"""CSV readers for the two public formats (no Django).

- Nature replication format: categories ``category,feature,min,max``;
  respondents with one column per category and no id column (the id is the
  0-based data row index, as a string).
- Sortition Foundation format: ``feature,value,min,max[,min_flex,max_flex]``;
  respondents with an id column (default ``nationbuilder_id``); other columns
  are ignored unless named as categories.

Errors are InvalidInput whose message names the file and the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .model import InvalidInput, Quota, Respondent
from .prepare import canonical

NATURE = "nature"
FOUNDATION = "sortition-foundation"
DEFAULT_ID_COLUMN = "nationbuilder_id"


@dataclass(frozen=True)
class Categories:
    format: str
    quotas: list[Quota]


MAX_FILE_BYTES = 50_000_000  # far above any real pool; stops /dev/zero and the like
MAX_LINE_CHARS = 100_000
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (stripped) and the non-blank data rows with their line numbers.

    At most MAX_FILE_BYTES are read; the text must be UTF-8 (a byte order mark
    is allowed) and no line longer than MAX_LINE_CHARS, so that a wrong file
    gives a plain message instead of exhausting memory.
    """
    text = _text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise InvalidInput(f"{path}, line {reader.line_num}: not a valid CSV line ({error}).") from None
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise InvalidInput(f"{path}: the file is empty.")
    header = [cell.strip() for cell in rows[0][1]]
    _check_unique_columns(path, header)
    return header, rows[1:]


def _text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found.") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror or error}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{path}: the file is larger than {MAX_FILE_BYTES // 1_000_000} MB; "
            "is it the quotas or respondents CSV?"
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(
            f"{path}, line {line}: the file must be UTF-8 text, and byte 0x{data[error.start]:02x} "
            "here is not; save it as 'CSV UTF-8' and try again."
        ) from None
    if len(text) > MAX_LINE_CHARS:
        # Lines split as the CSV reader splits them (\n, \r or \r\n), so the
        # number matches the one its errors give.
        for number, line_text in enumerate(io.StringIO(text, newline=""), start=1):
            if len(line_text) > MAX_LINE_CHARS:
                raise InvalidInput(
                    f"{path}, line {number}: the line is longer than {MAX_LINE_CHARS} characters."
                )
    return text


def _check_unique_columns(path: Path, header: list[str]) -> None:
    """Columns are looked up by name without regard to case, so two columns
    of one name would make one of them silently win."""
    first: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:  # blank columns (a spreadsheet's trailing commas) are never looked up
            continue
        if name.casefold() in first:
            raise InvalidInput(
                f"{path}, line 1: the column {name!r} appears twice "
                f"(columns {first[name.casefold()] + 1} and {index + 1})."
            )
        first[name.casefold()] = index


def _check_width(path: Path, line: int, row: list[str], header: list[str]) -> None:
    """A row has a cell for every column, and nothing beyond the last but blank
    cells: an extra value usually means an unquoted comma shifted the row."""
    if len(row) < len(header) or any(cell.strip() for cell in row[len(header) :]):
        raise InvalidInput(f"{path}, line {line}: expected {len(header)} columns, found {len(row)}.")


def _int(path: Path, line: int, column: str, text: str) -> int:
    # int() would also take other scripts' digits and "1_000"; a quota must
    # read the same to everyone who checks the file.
    if not _WHOLE_NUMBER.fullmatch(text.strip()):
        raise InvalidInput(
            f"{path}, line {line}: {column} must be a whole number written with the digits 0-9, not {text!r}."
        )
    return int(text.strip())


def read_categories(path: Path | str) -> Categories:
    path = Path(path)
    header, rows = _rows(path)
    names = [h.casefold() for h in header]
    if names[:2] == ["category", "feature"]:
        fmt, cat_col, feat_col = NATURE, "category", "feature"
    elif names[:2] == ["feature", "value"]:
        fmt, cat_col, feat_col = FOUNDATION, "feature", "value"
    else:
        raise InvalidInput(
            f"{path}, line 1: expected a header 'category,feature,min,max' or "
            f"'feature,value,min,max[,min_flex,max_flex]', found {','.join(header)!r}."
        )
    for needed in ("min", "max"):
        if needed not in names:
            raise InvalidInput(f"{path}, line 1: missing column {needed!r}.")
    col = {name: names.index(name) for name in names}
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        _check_width(path, line, row, header)
        category, feature = row[col[cat_col]].strip(), row[col[feat_col]].strip()
        if not category or not feature:
            raise InvalidInput(f"{path}, line {line}: empty {cat_col} or {feat_col}.")
        low = _int(path, line, "min", row[col["min"]])
        high = _int(path, line, "max", row[col["max"]])
        flex_low = flex_high = None
        if "min_flex" in col and row[col["min_flex"]].strip():
            flex_low = _int(path, line, "min_flex", row[col["min_flex"]])
        if "max_flex" in col and row[col["max_flex"]].strip():
            flex_high = _int(path, line, "max_flex", row[col["max_flex"]])
        if low < 0 or high < low:
            raise InvalidInput(
                f"{path}, line {line}: quota {category}={feature} needs 0 <= min <= max "
                f"(min {low}, max {high})."
            )
        key = (canonical(category), canonical(feature))
        if key in seen:
            raise InvalidInput(f"{path}, line {line}: {category}={feature} repeats line {seen[key]}.")
        seen[key] = line
        quotas.append(Quota(category, feature, low, high, flex_low, flex_high))
    if not quotas:
        raise InvalidInput(f"{path}: no quotas.")
    return Categories(fmt, quotas)


def read_respondents(
    path: Path | str,
    quotas: list[Quota],
    *,
    format: str,
    id_column: str | None = None,
    household_column: str | None = None,
) -> list[Respondent]:
    """Respondents with feature values mapped onto the quotas' spelling."""
    path = Path(path)
    header, rows = _rows(path)
    position = {h.casefold(): i for i, h in enumerate(header)}
    categories: list[str] = []
    for q in quotas:
        if q.category not in categories:
            categories.append(q.category)
    for category in categories:
        if category.casefold() not in position:
            raise InvalidInput(f"{path}, line 1: missing column {category!r} (a category of the quotas).")
    id_index = None
    if id_column is not None or format == FOUNDATION:
        wanted = id_column or DEFAULT_ID_COLUMN
        if wanted.casefold() not in position:
            raise InvalidInput(f"{path}, line 1: missing id column {wanted!r}.")
        id_index = position[wanted.casefold()]
    home_index = None
    if household_column is not None:
        if household_column.casefold() not in position:
            raise InvalidInput(f"{path}, line 1: missing household column {household_column!r}.")
        home_index = position[household_column.casefold()]
    spelling = {(canonical(q.category), canonical(q.feature)): q.feature for q in quotas}
    respondents: list[Respondent] = []
    ids: dict[str, int] = {}
    for number, (line, row) in enumerate(rows):
        _check_width(path, line, row, header)
        if id_index is None:
            rid = str(number)
        else:
            rid = row[id_index].strip()
            if not rid:
                raise InvalidInput(f"{path}, line {line}: the id is empty.")
        if rid in ids:
            raise InvalidInput(f"{path}, line {line}: the id {rid!r} repeats line {ids[rid]}.")
        ids[rid] = line
        features = {}
        for category in categories:
            value = row[position[category.casefold()]]
            feature = spelling.get((canonical(category), canonical(value)))
            if feature is None:
                raise InvalidInput(
                    f"{path}, line {line}: unknown value {value.strip()!r} for category {category!r}."
                )
            features[category] = feature
        household = row[home_index].strip() if home_index is not None else None
        respondents.append(Respondent(rid, features, household or None))
    return respondents
