"""The pure helpers: header, rows with line numbers, the seeded draw."""

from __future__ import annotations

import io

import pytest

from lottery.invitations import addresses as pure


def rows_of(text: str, region_column: str = "") -> tuple[list[pure.AddressRow], pure.AddressReader]:
    reader = pure.AddressReader(io.StringIO(text, newline=""), region_column=region_column)
    return list(reader), reader


def test_header_is_case_insensitive_and_trimmed() -> None:
    cols = pure.resolve_header([" Address_Line_1 ", "TOWN", "Post Code", "Region "], region_column="region")
    assert (cols.line1, cols.town, cols.postcode, cols.region) == (0, 1, 2, 3)


def test_missing_address_column_names_the_columns_found() -> None:
    with pytest.raises(pure.AddressFileError, match="Columns found: “street”, “zip”"):
        pure.resolve_header(["street", "zip"])


def test_missing_region_column() -> None:
    with pytest.raises(pure.AddressFileError, match="no column “county”"):
        pure.resolve_header(["address", "region"], region_column="county")


def test_good_and_bad_rows_with_line_numbers() -> None:
    text = (
        "address1,postcode\n"
        "1 High St,AB1 2CD\n"
        ",AB1 2CD\n"  # line 3: empty address
        "3 High St,AB1 2CD,extra\n"  # line 4: too many cells
        "\n"  # blank: skipped
        f"5 High St,{'X' * 21}\n"  # line 6: postcode too long
        '"6 High\nStreet",AB1\n'  # lines 7-8: a quoted newline is fine
        "9 Low St,\udce9\n"  # line 9: not UTF-8
    )
    rows, reader = rows_of(text)
    assert [r.line1 for r in rows] == ["1 High St", "6 High\nStreet"]
    assert [line for line, _ in reader.errors] == [3, 4, 6, 9]
    assert "empty" in reader.errors[0][1]
    assert "3 cells; the header has 2" in reader.errors[1][1]
    assert "postcode is longer than 20" in reader.errors[2][1]
    assert "UTF-8" in reader.errors[3][1]
    assert reader.rows_rejected == 4 and reader.rows_read == 6


def test_empty_file() -> None:
    with pytest.raises(pure.AddressFileError, match="empty"):
        rows_of("")


def test_errors_kept_are_capped_but_counted() -> None:
    text = "address\n" + ",\n" * 500
    rows, reader = rows_of(text)
    assert not rows and reader.rows_rejected == 500 and len(reader.errors) == pure.MAX_ERRORS_KEPT


def test_draw_is_reproducible_from_the_seed() -> None:
    a = pure.draw_indices("seed-1", 1_000_000, 30_000)
    assert a == pure.draw_indices("seed-1", 1_000_000, 30_000)
    assert a != pure.draw_indices("seed-2", 1_000_000, 30_000)
    assert len(set(a)) == 30_000 and a == sorted(a)


def test_draw_larger_than_the_file() -> None:
    with pytest.raises(pure.DrawError, match="only 10"):
        pure.draw_indices("s", 10, 11)


def test_per_region_counts() -> None:
    picked = pure.draw_indices_per_region("s", {"north": 50, "south": 30}, {"north": 5, "south": 3})
    assert {k: len(v) for k, v in picked.items()} == {"north": 5, "south": 3}
    assert picked == pure.draw_indices_per_region("s", {"north": 50, "south": 30}, {"north": 5, "south": 3})
    with pytest.raises(pure.DrawError, match="not in the file: “east”"):
        pure.draw_indices_per_region("s", {"north": 5}, {"east": 1})
    with pytest.raises(pure.DrawError, match="“north”: 6 asked, only 5"):
        pure.draw_indices_per_region("s", {"north": 5}, {"north": 6})
