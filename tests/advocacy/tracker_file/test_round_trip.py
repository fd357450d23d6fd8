"""The tracker file, both ways: export, import unchanged → 0 changes; one
edited cell → exactly that change; every bad cell → exit 2, nothing applied."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from advocacy.models import Milestone, Response, StatusChange, Tracking
from advocacy.tracker_file.cli import main
from advocacy.tracker_file.columns import HEADER

HEADER_LINE = (
    "number,title,response_status,response_date,response_due,justification,source_url,"
    "implementation_status,latest_milestone,evidence_url,notes"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def export_csv(assembly: Any, tmp_path: Path) -> Path:
    path = tmp_path / "T.csv"
    status, out, _err = run("export", assembly.slug, "--output", str(path))
    assert status == 0
    assert out.splitlines()[-1] == "0 changes"
    return path


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def snapshot() -> tuple[Any, ...]:
    return (
        list(Response.objects.order_by("pk").values()),
        list(Tracking.objects.order_by("pk").values()),
        Milestone.objects.count(),
        StatusChange.objects.count(),
    )


def test_export_has_the_exact_header_and_one_formula_safe_row_per_adopted_recommendation(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    rows = read_rows(export_csv(assembly, tmp_path))
    assert ",".join(rows[0]) == HEADER_LINE
    assert [r[0] for r in rows[1:]] == [str(r.number) for r in tracker]
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["response_status"] == "accepted_in_principle"
    assert first["response_date"] == "2026-03-02"
    assert first["justification"] == "'=the council agrees, with changes"  # formula-safe
    assert first["implementation_status"] == "in_progress"
    assert first["latest_milestone"] == "Budget line agreed"
    assert dict(zip(HEADER, rows[2], strict=True))["notes"] == "'-ask again in June"
    assert dict(zip(HEADER, rows[3], strict=True))["response_status"] == "no_response"


def test_importing_an_unchanged_export_reports_0_changes_and_changes_nothing(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    path = export_csv(assembly, tmp_path)
    before = snapshot()
    for extra in ((), ("--dry-run",)):
        status, out, err = run("import", assembly.slug, str(path), *extra)
        assert status == 0, err
        assert out.splitlines()[-1] == "0 changes"
    assert snapshot() == before


def test_one_edited_cell_is_listed_in_the_dry_run_then_applied_as_exactly_that_change(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    rows[3][HEADER.index("notes")] = "Minister to answer in May"
    write_rows(path, rows)
    before = snapshot()

    status, out, _err = run("import", assembly.slug, str(path), "--dry-run")
    assert status == 0
    lines = out.splitlines()
    assert "Row 4, notes: (empty) → “Minister to answer in May”" in lines
    assert lines[-1] == "1 change"
    assert snapshot() == before

    history = StatusChange.objects.count()
    status, out, _err = run("import", assembly.slug, str(path))
    assert status == 0
    assert out.splitlines()[-1] == "1 change"
    third = tracker[2]
    assert Tracking.objects.get(recommendation=third).notes == "Minister to answer in May"
    change = StatusChange.objects.exclude(pk__lte=0).order_by("-id").first()
    assert StatusChange.objects.count() == history + 1
    assert change is not None
    assert (change.recommendation_id, change.field, change.new, change.source) == (
        third.pk,
        "notes",
        "Minister to answer in May",
        "import",
    )
    # Imported again: nothing left to do.
    assert run("import", assembly.slug, str(path))[1].splitlines()[-1] == "0 changes"


def test_response_status_milestone_and_evidence_each_write_history(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    second = rows[2]
    second[HEADER.index("response_status")] = "rejected"
    second[HEADER.index("response_date")] = "2026-06-01"
    second[HEADER.index("justification")] = "No money"
    first = rows[1]
    first[HEADER.index("implementation_status")] = "implemented_weaker"
    first[HEADER.index("latest_milestone")] = "Bylaw passed"
    write_rows(path, rows)

    status, out, err = run("import", assembly.slug, str(path))
    assert status == 0, err
    assert out.splitlines()[-1] == "5 changes"
    response = Response.objects.get(recommendation=tracker[1])
    assert (response.status, str(response.responded_on), response.justification) == (
        "rejected",
        "2026-06-01",
        "No money",
    )
    milestone = Milestone.objects.filter(recommendation=tracker[0]).order_by("-id").first()
    assert milestone is not None
    assert (milestone.title, milestone.status, milestone.evidence_url) == (
        "Bylaw passed",
        "implemented_weaker",
        "https://council.example/budget",
    )
    assert Tracking.objects.get(recommendation=tracker[0]).implementation_status == "implemented_weaker"
    fields = set(StatusChange.objects.filter(source="import").values_list("field", flat=True))
    expected = {"response_status", "response_date", "justification", "milestone", "implementation_status"}
    assert expected <= fields
    assert run("import", assembly.slug, str(path))[1].splitlines()[-1] == "0 changes"


def _edit(rows: list[list[str]], row: int, column: str, value: str) -> None:
    rows[row - 1][HEADER.index(column)] = value


BAD_CELLS = [
    (2, "response_status", "maybe", "Row 2, column response_status"),
    (3, "implementation_status", "Implemented!", "Row 3, column implementation_status"),
    (2, "response_date", "2 March 2026", "Row 2, column response_date"),
    (4, "response_due", "2026-02-30", "Row 4, column response_due"),
    (3, "number", "99", "Row 3, column number"),
    (3, "number", "abc", "Row 3, column number"),
    (4, "justification", '=HYPERLINK("http://x")', "Row 4, column justification"),
    (2, "notes", "+1 from the mayor", "Row 2, column notes"),
    (2, "source_url", "not a link", "Row 2, column source_url"),
]


@pytest.mark.parametrize(("row", "column", "value", "expected"), BAD_CELLS)
def test_a_bad_cell_is_refused_with_its_row_and_column_and_nothing_is_applied(
    assembly: Any, tracker: Any, tmp_path: Path, row: int, column: str, value: str, expected: str
) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    _edit(rows, 3, "notes", "a valid change that must not be applied")
    _edit(rows, row, column, value)
    write_rows(path, rows)
    before = snapshot()
    status, out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert expected in err
    assert "Traceback" not in err
    assert out.splitlines()[-1] == "0 changes"
    assert snapshot() == before


def test_a_duplicate_number_is_refused(assembly: Any, tracker: Any, tmp_path: Path) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    rows.append(list(rows[1]))
    write_rows(path, rows)
    status, _out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert f"Row 5, column number: recommendation {tracker[0].number} is also on row 2." in err


@pytest.mark.parametrize(
    "header",
    [
        list(HEADER[:-1]),  # missing
        [*HEADER, "extra"],  # extra
        [HEADER[1], HEADER[0], *HEADER[2:]],  # misordered
    ],
)
def test_a_wrong_header_is_refused(assembly: Any, tracker: Any, tmp_path: Path, header: list[str]) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    write_rows(path, [header, *rows[1:]])
    before = snapshot()
    status, out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert "Row 1, column" in err
    assert out.splitlines()[-1] == "0 changes"
    assert snapshot() == before


def test_a_changed_title_is_ignored_with_a_warning(assembly: Any, tracker: Any, tmp_path: Path) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    _edit(rows, 2, "title", "Another title")
    write_rows(path, rows)
    status, out, err = run("import", assembly.slug, str(path))
    assert status == 0
    assert "Row 2, column title: the title is not imported" in err
    assert out.splitlines()[-1] == "0 changes"


def test_unknown_assembly_missing_file_and_bad_extension_exit_2(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    assert run("export", "nowhere", "--output", str(tmp_path / "T.csv"))[0] == 2
    assert run("import", assembly.slug, str(tmp_path / "missing.csv"))[0] == 2
    status, out, _err = run("export", assembly.slug, "--output", str(tmp_path / "T.txt"))
    assert (status, out.splitlines()[-1]) == (2, "0 changes")
    assert run("import")[0] == 2


def test_xlsx_round_trip(assembly: Any, tracker: Any, tmp_path: Path) -> None:
    path = tmp_path / "T.xlsx"
    assert run("export", assembly.slug, "--output", str(path))[0] == 0
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[1]] == list(HEADER)
    assert run("import", assembly.slug, str(path))[1].splitlines()[-1] == "0 changes"

    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.cell(row=4, column=HEADER.index("response_status") + 1, value="referred")
    sheet.cell(row=4, column=HEADER.index("response_date") + 1, value="2026-07-01")
    workbook.save(path)
    status, out, _err = run("import", assembly.slug, str(path), "--dry-run")
    assert status == 0
    assert out.splitlines()[-1] == "2 changes"
    assert "Row 4, response_status: “no_response” → “referred”" in out
    assert run("import", assembly.slug, str(path))[0] == 0
    assert Response.objects.get(recommendation=tracker[2]).status == "referred"


def test_xlsx_bad_cell(assembly: Any, tracker: Any, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADER))
    sheet.append([tracker[0].number, "x", "accepted", "not a date", "", "", "", "not_started", "", "", ""])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    status, _out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert "Row 2, column response_date" in err


def test_a_short_row_is_refused_rather_than_clearing_its_last_cells(
    assembly: Any, tracker: Any, tmp_path: Path
) -> None:
    path = export_csv(assembly, tmp_path)
    rows = read_rows(path)
    rows[2] = rows[2][:-2]
    write_rows(path, rows)
    before = snapshot()
    status, _out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert "Row 3, column evidence_url: this row ends before this column" in err
    assert snapshot() == before


def test_the_management_command_exits_with_the_status(
    assembly: Any, tracker: Any, tmp_path: Path, capsys: Any
) -> None:
    from advocacy.management.commands.tracker import Command

    path = tmp_path / "T.csv"
    with pytest.raises(SystemExit) as done:
        Command().run_from_argv(["manage.py", "tracker", "export", assembly.slug, "--output", str(path)])
    assert done.value.code == 0
    rows = read_rows(path)
    rows[1][HEADER.index("response_status")] = "nonsense"
    write_rows(path, rows)
    with pytest.raises(SystemExit) as done:
        Command().run_from_argv(["manage.py", "tracker", "import", assembly.slug, str(path), "--dry-run"])
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "0 changes"
    assert "Row 2, column response_status" in captured.err
    assert "Traceback" not in captured.err


def test_export_and_preview_take_the_same_queries_for_3_or_13_recommendations(
    assembly: Any, tracker: Any, django_assert_num_queries: Any
) -> None:
    from advocacy.tracker_file import export
    from advocacy.tracker_file.plan import read
    from tests.advocacy.tracker_file.conftest import adopted

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            content = export.to_csv(assembly)
            read(io.BytesIO(content), "T.csv", assembly)
        return len(captured)

    few = queries()
    for i in range(10):
        adopted(assembly, f"More {i}")
    assert queries() == few
    with django_assert_num_queries(few):
        read(io.BytesIO(export.to_csv(assembly)), "T.csv", assembly)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("T.csv", b"\xff\xfe\x00garbage\n"),
        ("T.csv", b""),
        ("T.xlsx", b"PK\x03\x04 not really a workbook"),
        ("T.csv", b'number,title\n"unterminated\n'),
    ],
)
def test_unreadable_files_exit_2_without_a_traceback(
    assembly: Any, tracker: Any, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    status, out, err = run("import", assembly.slug, str(path))
    assert status == 2
    assert "Row 1" in err
    assert "Traceback" not in err
    assert out.splitlines()[-1] == "0 changes"
    assert snapshot() == before
