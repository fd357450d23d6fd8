"""The final report's PDF read back as a reader would: its pages, its table of
contents (with the right page numbers), running headers, and each
recommendation's title and vote result on the page the contents give."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any

import pytest
from pypdf import PdfReader

from recommendations.models import Recommendation
from reports.models import Document, DocumentStatus

from .conftest import pdf_of, render

pytestmark = pytest.mark.django_db


def outline_pages(reader: PdfReader) -> dict[str, int]:
    """Bookmark title → page number (1-based), flattened."""
    found: dict[str, int] = {}

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[item.title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return found


def test_the_final_report_has_its_pages_contents_and_headers(final_report: Document) -> None:
    reader = pdf_of(final_report)
    texts = [page.extract_text() for page in reader.pages]

    assert final_report.job.status == "done"
    assert len(reader.pages) == final_report.pages >= 8
    assert texts[0].startswith("Alpha Council") and "Final report" in texts[0]
    assert "How should our region reach net zero by 2040?" in texts[0]
    contents = texts[1]
    assert contents.startswith("Contents")
    for heading in ("The question we were asked", "How the members were chosen",
                    "What we learnt, and from whom", "Our recommendations",
                    "Appendix A: the evidence we heard", "Appendix B: minority statements"):  # fmt: skip
        assert heading in contents
    # Running headers (the assembly, the chapter) and "page / pages" from page 2 on.
    total = len(reader.pages)
    assert f"3 / {total}" in texts[2] and "Alpha Climate Assembly" in texts[2]
    assert "1 / " not in texts[0]


@pytest.mark.parametrize("number", [1, 7, 12])
def test_a_recommendation_is_on_the_page_the_contents_give(final_report: Document, number: int) -> None:
    reader = pdf_of(final_report)
    rec = Recommendation.objects.get(assembly_id=final_report.assembly_id, number=number)
    heading = f"{number}. {rec.title}"
    contents = reader.pages[1].extract_text()
    listed = re.search(rf"^{re.escape(heading)}[ .]*?(\d+)$", contents, re.MULTILINE)
    assert listed, contents

    page = int(listed[1])

    assert outline_pages(reader)[heading] == page
    text = reader.pages[page - 1].extract_text()
    assert heading in text
    share = (40 - number) / 40  # 40 - n yes, n no (abstentions not counted)
    assert f"Adopted: {share * 100:.0f} % in favour of 40 votes counted" in text


def test_the_report_says_how_members_were_chosen_learnt_and_dissented(final_report: Document) -> None:
    text = "\n".join(p.extract_text() for p in pdf_of(final_report).pages)

    assert "Weekend 30" in text and "Dr Ada Speaker" in text
    assert "We disagree: too slow." in text and "Two members" in text


def test_the_data_files_say_the_same_and_point_at_the_pdf(final_report: Document) -> None:
    files = {f.format: f for f in final_report.files.all()}
    pdf_bytes = files["pdf"].file.open("rb").read()
    data = json.loads(files["json"].file.open("rb").read())
    rows = list(csv.DictReader(io.StringIO(files["csv"].file.open("rb").read().decode())))

    assert files["pdf"].sha256 == hashlib.sha256(pdf_bytes).hexdigest() and files["pdf"].size == len(
        pdf_bytes
    )
    assert data["report"]["version"] == 1 and data["report"]["pdf"]["sha256"] == files["pdf"].sha256
    assert data["licence"]["name"] == "CC BY 4.0" and data["licence"]["attribution"] == "Alpha Council"
    assert not any("licen" in cell.lower() for row in rows for cell in row.values())
    assert [r["number"] for r in data["recommendations"]] == list(range(1, 13))
    assert data["recommendations"][2]["result"]["counts"] == {"yes": 37, "no": 3, "abstain": 1}
    assert rows[2]["title"] == "Recommendation title 3" and rows[2]["adopted"] == "True"
    assert rows[2]["share"] == "0.925"


def test_csv_cells_cannot_run_as_formulas(assembly: Any, django_capture_on_commit_callbacks: Any) -> None:
    from .helpers import reported_assembly

    reported_assembly(assembly, 1)
    Recommendation.objects.filter(assembly=assembly).update(title='=HYPERLINK("https://evil.example")')
    document = render(assembly, django_capture_on_commit_callbacks)[0]
    rows = list(csv.reader(io.StringIO(document.files.get(format="csv").file.open("rb").read().decode())))

    assert rows[1][1] == '\'=HYPERLINK("https://evil.example")'
    # The JSON keeps the value as typed.
    data = json.loads(document.files.get(format="json").file.open("rb").read())
    assert data["recommendations"][0]["title"].startswith("=HYPERLINK")


def test_a_report_is_made_in_each_language_of_the_assembly(
    assembly: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from .helpers import reported_assembly

    reported_assembly(assembly, 2)
    assembly.languages = ["en", "fr"]
    assembly.title_translations = {"fr": "Assemblée citoyenne Alpha"}
    assembly.save()

    english, french = render(assembly, django_capture_on_commit_callbacks)

    assert (english.language, french.language) == ("en", "fr")
    assert english.name == "final-report-en-v1" and french.name == "final-report-fr-v1"
    assert pdf_of(french).pages[0].extract_text().startswith("Alpha Council\nAssemblée citoyenne Alpha")
    assert french.status == DocumentStatus.DRAFT
