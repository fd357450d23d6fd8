"""What a fresh reader of the final report found: a table row split across two
pages, a reports page address with no site, "0 of 0 ... set out below", and a
report's language named in English on a French page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader

from recommendations.ballots.selectors import assembly_summary
from recommendations.models import Ballot, BallotStatus, Recommendation
from recommendations.report.builders import build_final
from reports.pdf import render_pdf
from tests.factories import make_adopted

from .helpers import reported_assembly, stored_document

pytestmark = pytest.mark.django_db


def final_html(**overrides: Any) -> str:
    """The final report's template with plain stand-ins (no lottery to run)."""
    run = SimpleNamespace(commitment="ab" * 32, randomness="", randomness_source="", drawn_at=None)
    context: dict[str, Any] = {
        "assembly": SimpleNamespace(organisation=SimpleNamespace(name="Org"), slug="demo", starts_on=None),
        "language": "en", "version": 1, "title": "Demo Assembly", "document_title": "Demo Assembly",
        "remit": "Remit?", "description": "", "made_on": dt.date(2026, 5, 1),
        "reports_url": "https://plenary.example.org/assemblies/demo/reports/",
        "selection": SimpleNamespace(run=run, pool=400, seats=40, confirmed=0, lowest="", composition=[]),
        "sessions": [], "speakers": [], "recommendations": [], "statements": [], "evidence": [],
        "summary": SimpleNamespace(decided=0, adopted=0),
    }  # fmt: skip
    context.update(overrides)
    return render_to_string("recommendations/report/final.html", context)


def test_a_table_row_never_breaks_across_pages() -> None:
    """Forty rows whose category wraps over several lines: the table crosses
    pages, and each row's first and last words and its figure stay together."""
    stylesheet = finders.find("recommendations/report.css")
    assert isinstance(stylesheet, str)
    css = Path(stylesheet).read_text(encoding="utf-8")
    assert "tr { break-inside: avoid; }" in css and "thead { display: table-header-group; }" in css
    rows = [
        SimpleNamespace(
            category=f"Q{i}start which of these best describes where you live and how long Q{i}end",
            label=f"Group {i}",
            population="10.0 %",
            quota="1–2",
            seats=f"N{i}seats",
        )
        for i in range(40)
    ]
    selection = SimpleNamespace(
        run=SimpleNamespace(commitment="ab" * 32, randomness=""), pool=400, seats=40, confirmed=0, lowest="",
        composition=rows,
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(render_pdf(final_html(selection=selection))))
    pages = [page.extract_text() for page in reader.pages]

    def page_of(word: str) -> int:
        found = [n for n, text in enumerate(pages) if word in text.split()]
        assert len(found) == 1, word
        return found[0]

    table_pages = {page_of(f"N{i}seats") for i in range(40)}
    assert len(table_pages) >= 2  # the table does cross a page
    for i in range(40):
        assert page_of(f"Q{i}start") == page_of(f"Q{i}end") == page_of(f"N{i}seats"), i
    for n in sorted(table_pages)[1:]:  # the header row is repeated on each page the table reaches
        assert "Category" in pages[n] and "Quota (seats)" in pages[n].replace("\n", " ")


def test_the_cover_gives_the_reports_page_as_a_full_address(assembly: Any, settings: Any) -> None:
    settings.SITE_URL = "https://plenary.example.org/"
    reported_assembly(assembly, 1)

    html = build_final(assembly.pk, "en", None, version=1).html

    assert f"reports page: https://plenary.example.org/assemblies/{assembly.slug}/reports/</p>" in " ".join(
        html.split()
    )


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("en", "The assembly has not adopted any recommendation yet.", ["0 of the 0", "set out below"]),
        ("fr", "L'assemblée n'a encore adopté aucune recommandation.", ["sur 0", "figure ci-dessous"]),
    ],
)
def test_a_report_before_any_vote_says_nothing_is_adopted_yet(
    assembly: Any, language: str, said: str, not_said: list[str]
) -> None:
    # No recommendation has been put to a vote.
    with translation.override(language):
        html = " ".join(
            build_final(assembly.pk, language, None, version=1).html.replace("&#x27;", "'").split()
        )

    remit = html[html.index('<section id="remit">') : html.index('<section id="members">')]
    assert said in remit
    for words in not_said:
        assert words not in html
    recommendations = html[
        html.index('<section id="recommendations">') : html.index('<section id="evidence">')
    ]
    assert said in recommendations and "<table>" not in recommendations


def test_the_plural_sentence_still_reads_for_adopted_recommendations(assembly: Any) -> None:
    reported_assembly(assembly, 2)

    with translation.override("fr"):
        html = " ".join(build_final(assembly.pk, "fr", None, version=1).html.replace("&#x27;", "'").split())

    assert "L'assemblée a soumis 2 recommandations au vote et en a adopté 2." in html
    assert "Les 2 recommandations adoptées figurent ci-dessous, chacune avec" in html


def test_the_report_counts_what_was_put_to_a_vote_as_the_public_pages_do(assembly: Any) -> None:
    """Two adopted and one turned down: "put 3 to a vote and adopted 2", the
    assembly page's "2 of 3" (it said "adopted 2 of the 2")."""
    reported_assembly(assembly, 2)
    rejected = make_adopted(assembly, title="Turned down")
    Recommendation.objects.filter(pk=rejected.pk).update(status="rejected")
    Ballot.objects.create(
        assembly=assembly,
        recommendation=rejected,
        question="Adopt?",
        status=BallotStatus.CLOSED,
        closed_at=timezone.now(),
        results={"counts": {"yes": 5, "no": 30, "abstain": 0}, "turnout": 35, "electorate": 40},
    )

    html = " ".join(build_final(assembly.pk, "en", None, version=1).html.split())

    assert "The assembly put 3 recommendations to a vote and adopted 2." in html
    assert "The 2 recommendations it adopted are set out below" in html
    assert "Turned down" not in html
    assert "2 of 3 recommendations adopted" in assembly_summary(assembly).sentence()


@pytest.mark.parametrize(
    ("visitor", "shown", "hidden"), [("fr", "· anglais ·", "English"), ("en", "· English ·", "anglais")]
)
def test_a_reports_language_is_named_in_the_visitors_language(
    client: Any, assembly: Any, visitor: str, shown: str, hidden: str
) -> None:
    reported_assembly(assembly, 1)
    stored_document(assembly, status="published")
    client.cookies["django_language"] = visitor

    html = client.get(f"/assemblies/{assembly.slug}/reports/").content.decode()

    meta = " ".join(html[html.index('<p class="meta">') :].split("</p>", 1)[0].split())
    assert shown in meta and hidden not in meta
