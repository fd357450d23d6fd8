"""Address files and the draw: pure helpers, no Django.

- ``AddressReader`` streams a CSV file (a text stream) row by row, checks
  each row and yields the good ones, keeping the bad ones' line numbers and
  reasons; it never holds the file whole.
- ``draw_indices`` and ``draw_indices_per_region`` pick positions uniformly
  at random without replacement from a seed, so that anyone with the seed and
  the file can recompute the draw.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO

# Accepted spellings of each column, compared lower-cased with spaces, dashes
# and underscores removed.
LINE1_NAMES = ("address1", "addressline1", "line1", "address")
LINE2_NAMES = ("address2", "addressline2", "line2")
TOWN_NAMES = ("town", "city", "posttown")
POSTCODE_NAMES = ("postcode", "postalcode", "zip", "zipcode")

# The model's column widths: a longer value is refused rather than cut.
MAX_LENGTHS = {"line1": 200, "line2": 200, "town": 120, "postcode": 20, "region": 120}
FIELD_LABELS = {
    "line1": "address line 1",
    "line2": "address line 2",
    "town": "town",
    "postcode": "postcode",
    "region": "region",
}
MAX_ERRORS_KEPT = 200
# The csv module refuses fields above this; far above any real address.
csv.field_size_limit(64 * 1024)

_UNDECODABLE = re.compile("[\udc80-\udcff]")


class AddressFileError(ValueError):
    """The file as a whole cannot be imported (wrong columns, empty, ...)."""


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower().lstrip("\ufeff"))


@dataclass(frozen=True)
class Columns:
    """Positions of our fields in the file's header."""

    line1: int
    line2: int | None
    town: int | None
    postcode: int | None
    region: int | None
    width: int


def resolve_header(header: list[str], *, region_column: str = "") -> Columns:
    """Find our columns in ``header`` or say in plain words what is wrong."""
    found = [h.strip().lstrip("\ufeff") for h in header]
    keys = [_key(h) for h in found]
    shown = ", ".join(f"“{h}”" for h in found if h) or "none"
    if not any(keys):
        raise AddressFileError("The first line of the file is empty: it must name the columns.")
    if _UNDECODABLE.search("".join(found)):
        raise AddressFileError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet and upload it again."
        )
    duplicates = sorted({h for h, k in zip(found, keys, strict=True) if k and keys.count(k) > 1})
    if duplicates:
        raise AddressFileError(
            "These columns appear more than once: " + ", ".join(f"“{d}”" for d in duplicates) + "."
        )

    def find(names: tuple[str, ...]) -> int | None:
        for name in names:
            if name in keys:
                return keys.index(name)
        return None

    line1 = find(LINE1_NAMES)
    if line1 is None:
        raise AddressFileError(
            "The file has no address column. Name the first address line “address1”, "
            f"“address_line_1”, “line1” or “address”. Columns found: {shown}."
        )
    region = None
    if region_column:
        region = find((_key(region_column),))
        if region is None:
            raise AddressFileError(
                f"The file has no column “{region_column.strip()}” for the region. Columns found: {shown}."
            )
    return Columns(
        line1=line1,
        line2=find(LINE2_NAMES),
        town=find(TOWN_NAMES),
        postcode=find(POSTCODE_NAMES),
        region=region,
        width=len(header),
    )


def read_header(stream: IO[str], *, region_column: str = "") -> Columns:
    """Check the first line of ``stream`` (used on upload, before storing)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise AddressFileError(f"The first line cannot be read as CSV ({exc}).") from exc
    if header is None:
        raise AddressFileError("The file is empty.")
    return resolve_header(header, region_column=region_column)


@dataclass
class AddressRow:
    line_number: int
    line1: str
    line2: str
    town: str
    postcode: str
    region: str


@dataclass
class AddressReader:
    """Iterate over the good rows of ``stream``; bad ones are counted and the
    first ``MAX_ERRORS_KEPT`` kept as ``(line, reason)`` in ``errors``.

    ``stream`` should be opened with ``errors="surrogateescape"``: a row with
    bytes that are not UTF-8 is then refused on its own line instead of
    stopping the whole import.
    """

    stream: IO[str]
    region_column: str = ""
    rows_read: int = 0
    rows_rejected: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    columns: Columns | None = None

    def reject(self, line: int, reason: str) -> None:
        self.rows_rejected += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((line, reason))

    def __iter__(self) -> Iterator[AddressRow]:
        reader = csv.reader(self.stream)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise AddressFileError(f"The first line cannot be read as CSV ({exc}).") from exc
        if header is None:
            raise AddressFileError("The file is empty.")
        cols = self.columns = resolve_header(header, region_column=self.region_column)
        width = cols.width
        optional = [(name, getattr(cols, name)) for name in ("line2", "town", "postcode", "region")]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.rows_read += 1
                self.reject(reader.line_num, f"The row cannot be read as CSV ({exc}).")
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line: nothing to keep, nothing lost
            self.rows_read += 1
            line = reader.line_num
            if len(row) != width:
                if len(row) > width and not any(c.strip() for c in row[width:]):
                    row = row[:width]  # trailing empty cells from a spreadsheet
                else:
                    self.reject(line, f"The row has {len(row)} cells; the header has {width}.")
                    continue
            joined = "".join(row)
            if _UNDECODABLE.search(joined):
                self.reject(line, "The row contains characters that are not UTF-8; save the file as UTF-8.")
                continue
            if "\x00" in joined:
                self.reject(line, "The row contains a NUL character.")
                continue
            values = {"line1": row[cols.line1].strip()}
            for name, index in optional:
                values[name] = row[index].strip() if index is not None else ""
            if not values["line1"]:
                self.reject(line, "The address line 1 is empty.")
                continue
            too_long = [n for n, v in values.items() if len(v) > MAX_LENGTHS[n]]
            if too_long:
                n = too_long[0]
                self.reject(
                    line,
                    f"The {FIELD_LABELS[n]} is longer than {MAX_LENGTHS[n]} characters ({len(values[n])}).",
                )
                continue
            yield AddressRow(line_number=line, **values)


# --- the draw ---------------------------------------------------------------


class DrawError(ValueError):
    """The draw asked for is impossible (plain words for the organiser)."""


def draw_indices(seed: str, population: int, size: int) -> list[int]:
    """``size`` distinct positions in ``range(population)``, uniformly at
    random from ``seed``, in ascending order."""
    if size < 1:
        raise DrawError("Choose at least one address to invite.")
    if size > population:
        raise DrawError(f"You asked for {size:,} addresses but the file has only {population:,}.")
    return sorted(random.Random(seed).sample(range(population), size))


def draw_indices_per_region(
    seed: str, available: Mapping[str, int], wanted: Mapping[str, int]
) -> dict[str, list[int]]:
    """Positions within each region (its addresses in file order), drawn
    region by region in name order from one generator seeded with ``seed``."""
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise DrawError(
            "These regions are not in the file: "
            + ", ".join(f"“{r}”" for r in unknown)
            + ". Regions in the file: "
            + ", ".join(f"“{r}”" for r in sorted(available))
            + "."
        )
    problems = []
    for region in sorted(wanted):
        count = wanted[region]
        if count < 0:
            problems.append(f"“{region}”: the count cannot be negative")
        elif count > available[region]:
            problems.append(f"“{region}”: {count:,} asked, only {available[region]:,} addresses")
    if problems:
        raise DrawError("The counts per region do not match the file: " + "; ".join(problems) + ".")
    if sum(wanted.values()) < 1:
        raise DrawError("Choose at least one address to invite.")
    rng = random.Random(seed)
    return {
        region: sorted(rng.sample(range(available[region]), wanted[region]))
        for region in sorted(wanted)
        if wanted[region] > 0
    }
