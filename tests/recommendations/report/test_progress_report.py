"""Progress reports: the status of every recommendation at a date, with the
columns other apps register (advocacy: responses) through one hook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from recommendations.report import selectors
from recommendations.report.selectors import ProgressColumn, register_progress_rows

from .conftest import pdf_of, render
from .helpers import reported_assembly

pytestmark = pytest.mark.django_db


@pytest.fixture
def response_column() -> Iterator[None]:
    register_progress_rows(
        ProgressColumn("test_note", "Test note", lambda a, day, recs: {recs[0].pk: "Noted"})
    )
    yield
    selectors.PROGRESS_COLUMNS[:] = [c for c in selectors.PROGRESS_COLUMNS if c.key != "test_note"]


def test_the_status_of_every_recommendation_at_a_date(
    assembly: Any, django_capture_on_commit_callbacks: Any, response_column: None
) -> None:
    # Ballots closed 12, 11 and 10 days ago: a date 11 days ago sees two decided.
    reported_assembly(assembly, 3)
    as_of = timezone.localdate() - dt.timedelta(days=11)

    (document,) = render(assembly, django_capture_on_commit_callbacks, kind="progress", as_of=as_of)

    assert document.name == "progress-report-en-v1" and document.as_of == as_of
    rows = list(csv.DictReader(io.StringIO(document.files.get(format="csv").file.open("rb").read().decode())))
    assert [(r["number"], r["status"], r["test_note"]) for r in rows] == [
        ("1", "adopted", "Noted"), ("2", "adopted", ""), ("3", "undecided", ""),
    ]  # fmt: skip
    data = json.loads(document.files.get(format="json").file.open("rb").read())
    assert data["as_of"] == as_of.isoformat() and data["recommendations"][2]["result"] is None
    text = " ".join(pdf_of(document).pages[1].extract_text().split())
    assert "Test note" in text and "Noted" in text and "Not decided yet" in text
    assert "2 of 3 recommendations adopted by then." in text
