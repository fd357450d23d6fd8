"""Pool imports that hold under abuse: streamed and capped files, a job
instead of the request, and one person once in a pool (issue 9, items 4-5)."""

from __future__ import annotations

import io
import threading
import tracemalloc
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from lottery.models import PoolImport, Respondent
from lottery.registration import services
from lottery.registration.tables import TableError, read_table

pytestmark = pytest.mark.django_db

CSV = "first_name,last_name,email,gender,age\nAda,Lovelace,ada@example.org,female,30-59\n"


def _xlsx(build: Any) -> bytes:
    workbook = Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _claims_the_whole_sheet(sheet: Any) -> None:
    sheet.append(["first_name", "last_name", "email", "gender", "age"])
    sheet.cell(row=1_048_576, column=16_384, value="x")  # dimension A1:XFD1048576


def test_a_sheet_claiming_a_million_rows_is_refused_quickly_and_small() -> None:
    data = _xlsx(_claims_the_whole_sheet)
    assert len(data) < 10_000

    tracemalloc.start()
    table = read_table(io.BytesIO(data), "pool.xlsx", max_rows=1_000)
    with pytest.raises(TableError, match="more than 1000 rows"):
        for _row in table.rows:
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert peak < 20 * 1024 * 1024  # was 2.5 GB when the claimed size was trusted


def test_a_small_xlsx_that_unpacks_to_a_huge_cell_is_refused_before_reading(monkeypatch: Any) -> None:
    # A 300 KB file holding one 300-million-character cell took 600 MB to read;
    # here the same shape at a lowered limit, so the test stays small.
    import zipfile

    from lottery.registration import tables

    monkeypatch.setattr(tables, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    # openpyxl writes at most 32,767 characters a cell; an attacker writes the XML.
    source = zipfile.ZipFile(io.BytesIO(_xlsx(lambda s: (s.append(["first_name"]), s.append(["HUGE"])))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"HUGE", b"A" * 2_000_000)
            archive.writestr(info.filename, part)
    data = out.getvalue()
    assert len(data) < 50_000

    tracemalloc.start()
    with pytest.raises(TableError, match="more than 1 MB of data once unpacked"):
        read_table(io.BytesIO(data), "pool.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert peak < 1024 * 1024
    ordinary = read_table(io.BytesIO(_xlsx(lambda s: s.append(["first_name"]))), "pool.xlsx")
    assert ordinary.headers == ["first_name"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_plainly() -> None:
    with pytest.raises(TableError, match="could not be read"):
        read_table(io.BytesIO(b"PK\x03\x04 not really a zip"), "pool.xlsx")


def test_too_many_columns_name_the_line() -> None:
    data = _xlsx(lambda s: (s.append(["first_name"]), s.append(["a", *["x"] * 300])))
    table = read_table(io.BytesIO(data), "pool.xlsx", max_columns=200)
    with pytest.raises(TableError, match="Line 2 has more than 200 columns"):
        list(table.rows)


def test_a_csv_that_is_not_utf8_names_its_line() -> None:
    data = b"first_name,last_name\nAda,Lovelace\nJos\xe9,Bad\n"
    table = read_table(io.BytesIO(data), "pool.csv")
    with pytest.raises(TableError, match="Line 3 is not UTF-8"):
        list(table.rows)


def test_the_import_screen_queues_a_job_and_shows_its_report(
    organiser_client: Any, assembly: Any, recruiting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("admin:lottery_respondent_import"),
            {"assembly": assembly.pk, "file": SimpleUploadedFile("pool.csv", CSV.encode()), "dry_run": "on"},
        )
    preview = PoolImport.objects.get()
    assert response["Location"] == reverse("admin:lottery_poolimport_result", args=[preview.pk])
    assert preview.job is not None and preview.job.status == "done"
    assert not Respondent.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(reverse("admin:lottery_poolimport_confirm", args=[preview.pk]))
    imported = PoolImport.objects.get(dry_run=False)
    page = organiser_client.get(
        reverse("admin:lottery_poolimport_result", args=[imported.pk])
    ).content.decode()

    assert "Import done" in page and "Imported: 1." in page
    assert list(Respondent.objects.values_list("email", flat=True)) == ["ada@example.org"]
    imported.refresh_from_db()
    assert not imported.file  # personal data: the file goes once its rows are in


def test_a_big_pool_file_is_refused_at_the_limit_with_what_was_imported(
    assembly: Any, recruiting: Any, organiser: Any, monkeypatch: Any
) -> None:
    import lottery.registration.tables as tables

    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    rows = "".join(f"P{i},Q,p{i}@example.org,female,30-59\n" for i in range(5))
    report = services.pool_import(
        assembly=assembly,
        file=SimpleUploadedFile("pool.csv", ("first_name,last_name,email,gender,age\n" + rows).encode()),
        dry_run=True,
        by=organiser,
    )
    assert report.file_errors == [
        "The file has more than 3 rows. Split it into smaller files and import each."
    ]
    assert report.rows_read == 3


def test_the_same_file_is_imported_once(
    assembly: Any, recruiting: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.pool_import_start(
            assembly=assembly, file=SimpleUploadedFile("p.csv", CSV.encode()), dry_run=False, by=organiser
        )
        second = services.pool_import_start(
            assembly=assembly, file=SimpleUploadedFile("p.csv", CSV.encode()), dry_run=False, by=organiser
        )
    assert first.pk == second.pk
    assert Respondent.objects.count() == 1


def test_one_person_is_in_a_pool_once_whatever_the_case(assembly: Any, recruiting: Any) -> None:
    now = timezone.now()
    Respondent.objects.create(assembly=assembly, email="Ada@Example.org", consented_at=now)
    with pytest.raises(IntegrityError):
        Respondent.objects.create(assembly=assembly, email="ada@example.org", consented_at=now)


def test_a_day_later_an_import_keeps_no_personal_data(
    assembly: Any, recruiting: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        preview = services.pool_import_start(
            assembly=assembly, file=SimpleUploadedFile("p.csv", CSV.encode()), dry_run=True, by=organiser
        )
    PoolImport.objects.filter(pk=preview.pk).update(created_at=timezone.now() - timedelta(days=2))

    preview.refresh_from_db()
    assert preview.report["preview"][0]["email"] == "ada@example.org"

    assert services.pool_import_files_expire() == 1
    preview.refresh_from_db()
    assert not preview.file
    # Only the counts stay: no name, email or quoted cell after a day.
    assert preview.report["preview"] == [] and preview.report["errors"] == []
    assert preview.report["rows_valid"] == 1
    assert services.pool_import_files_expire() == 0


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_imports_add_each_person_once(
    assembly: Any, recruiting: Any, organiser: Any
) -> None:
    """The security review's 20 concurrent POSTs made 9 respondents of 3 emails."""
    body = CSV + "Alan,Turing,alan@example.org,male,16-29\nGrace,Hopper,grace@example.org,female,60+\n"
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            services.pool_import(
                assembly=assembly,
                file=SimpleUploadedFile("p.csv", body.encode()),
                dry_run=False,
                by=organiser,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert Respondent.objects.filter(assembly=assembly).count() == 3


def test_a_second_file_with_people_already_in_the_pool_adds_only_the_new_ones(
    assembly: Any, recruiting: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Another file (another checksum), re-saved with one more person and one
    # address written in capitals, and a person listed twice.
    again = CSV.replace("ada@example.org", "ADA@Example.org") + (
        "Alan,Turing,alan@example.org,male,16-29\nAlan,Turing,Alan@example.org,male,16-29\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.pool_import_start(
            assembly=assembly, file=SimpleUploadedFile("p.csv", CSV.encode()), dry_run=False, by=organiser
        )
        second = services.pool_import_start(
            assembly=assembly, file=SimpleUploadedFile("p2.csv", again.encode()), dry_run=False, by=organiser
        )

    assert sorted(Respondent.objects.values_list("email", flat=True)) == [
        "ada@example.org",
        "alan@example.org",
    ]
    second.refresh_from_db()
    assert len(second.report["errors"]) == 2  # Ada (already in the pool) and Alan's second row
