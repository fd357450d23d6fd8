from __future__ import annotations

from typing import Any

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from lottery.models import Answer, Respondent, RespondentSource
from lottery.registration.services import pool_import

pytestmark = pytest.mark.django_db

CSV = """first_name,last_name,email,gender,age,household
Ada,Lovelace,ada@example.org,female,30-59,h1
Alan,Turing,,male,16-29,h2
Grace,Hopper,grace@example.org,Woman,60+,h3
Bob,Builder,ada@example.org,male,30-59,h4

Mary,Somerville,mary@example.org,Female,prefer-not-to-say,h5
"""


def upload(text: str, name: str = "pool.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_dry_run_saves_nothing_and_reports_each_row(assembly: Any, recruiting: Any, organiser: Any) -> None:
    report = pool_import(assembly=assembly, file=upload(CSV), dry_run=True, by=organiser)
    assert not Respondent.objects.exists()
    assert (report.rows_read, report.rows_valid, report.rows_imported) == (5, 2, 0)
    errors = {e.line: e.messages for e in report.errors}
    assert errors[3] == ["missing email"]
    assert errors[4] == ["unknown answer “Woman” for question “Gender”"]
    assert errors[5] == ["duplicate: same email as line 2"]
    assert [row["line"] for row in report.preview] == ["2", "7"]


def test_real_import_keeps_the_good_rows(assembly: Any, recruiting: Any, organiser: Any) -> None:
    report = pool_import(assembly=assembly, file=upload(CSV), dry_run=False, by=organiser)
    assert report.rows_imported == 2
    people = Respondent.objects.order_by("email")
    assert [p.email for p in people] == ["ada@example.org", "mary@example.org"]
    assert all(p.source == RespondentSource.IMPORT for p in people)
    mary = people[1]
    assert {a.feature.value for a in Answer.objects.filter(respondent=mary)} == {
        "female",
        "prefer-not-to-say",
    }
    # Again: everyone is now a duplicate of someone in the pool.
    again = pool_import(assembly=assembly, file=upload(CSV), dry_run=False, by=organiser)
    assert again.rows_imported == 0
    assert "duplicate: someone with this email is already in the pool" in again.errors[0].messages


def test_missing_columns_and_unreadable_files(assembly: Any, recruiting: Any, organiser: Any) -> None:
    report = pool_import(
        assembly=assembly, file=upload("first_name,email\nA,a@example.org\n"), dry_run=True, by=organiser
    )
    assert any("last_name" in e for e in report.file_errors)
    assert any("gender" in e for e in report.file_errors)
    junk = pool_import(
        assembly=assembly, file=SimpleUploadedFile("x.xlsx", b"not a zip"), dry_run=True, by=organiser
    )
    assert junk.file_errors and junk.rows_read == 0


def test_xlsx_import(assembly: Any, recruiting: Any, organiser: Any) -> None:
    data = tablib.Dataset(headers=["first_name", "last_name", "email", "gender", "age"])
    data.append(["Ada", "Lovelace", "ada@example.org", "female", "30-59"])
    data.append(["Alan", "Turing", "alan@example.org", "male", "unknown"])
    file = SimpleUploadedFile("pool.xlsx", data.export("xlsx"))
    report = pool_import(assembly=assembly, file=file, dry_run=False, by=organiser)
    assert report.rows_imported == 1
    assert report.errors[0].line == 3
    assert Respondent.objects.get().email == "ada@example.org"


def test_public_counts_suppress_small_groups(assembly: Any, recruiting: Any, organiser: Any) -> None:
    from lottery.registration.selectors import pool_counts

    rows = "".join(f"P{i},X,p{i}@example.org,{'female' if i < 6 else 'male'},30-59\n" for i in range(8))
    pool_import(
        assembly=assembly,
        file=upload("first_name,last_name,email,gender,age\n" + rows),
        dry_run=False,
        by=organiser,
    )
    counts = pool_counts(assembly)
    assert counts["gender"] == {"female": 6, "male": None}
    assert counts["age"] == {"30-59": 8}
