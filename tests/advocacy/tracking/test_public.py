"""The public tracker: what a visitor sees, the downloads, the feed, the
recommendation pages and the API; nothing internal ever public."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.tracking import services
from assemblies.models import Stage
from tests.factories import make_adopted

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _tracker(client: Any, tracked: Any, query: str = "") -> str:
    response = client.get(reverse("advocacy:tracker", args=[tracked.assembly.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_tracker_shows_the_headline_responses_milestones_and_the_diff(client: Any, tracked: Any) -> None:
    body = _tracker(client, tracked)
    assert '<dd data-figure="full">1</dd>' in body
    assert '<dd data-figure="part">1</dd>' in body
    assert '<dd data-figure="none">1</dd>' in body
    assert '<dd data-figure="no_response">2</dd>' in body
    assert "Housing bill introduced" in body and "https://council.example.org/bill" in body
    assert "Not within our powers." in body
    # The weaker form: what was enacted against the recommendation, word by word.
    assert "<del>" in body and "three" in body and "<ins>" in body and "twice" in body
    # 4 is overdue in public; the chart has its words.
    assert "overdue: due by 30 September 2026" in body
    assert 'role="img"' in body and "Recommendations by implementation over time" in body
    # The scorecard.
    assert "Riverside Council" in body and "60 %" in body


def test_nothing_internal_is_public(client: Any, tracked: Any) -> None:
    rec = tracked.recs[3]
    link = services.institution_link_create(response=rec.response, by=tracked.organiser, send=False)
    services.institution_submit(
        token=link.token,
        data={"status": "accepted", "responded_on": "2026-11-30", "justification": "PENDING WORDS"},
    )
    services.tracking_update(recommendation=rec, notes="INTERNAL NOTE", by=tracked.organiser, source="admin")
    slug = tracked.assembly.slug
    urls = [
        reverse("advocacy:tracker", args=[slug]),
        reverse("advocacy:tracker_csv", args=[slug]),
        reverse("advocacy:tracker_json", args=[slug]),
        reverse("advocacy:tracker_feed", args=[slug]),
        reverse("recommendations:detail", args=[slug, tracked.recs[4].number]),
        reverse("recommendations:detail", args=[slug, rec.number]),
        f"/api/v1/tracker/?assembly={slug}",
        f"/api/v1/recommendations/?assembly={slug}",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in ("SECRET DRAFT", "PENDING WORDS", "INTERNAL NOTE"):
            assert secret not in body, f"{url} shows {secret}"
    # The unpublished response counts as none, and the pending entry changes nothing.
    tracker = client.get(reverse("advocacy:tracker_json", args=[slug])).json()["recommendations"]
    assert [r["response_status"] for r in tracker[3:]] == ["no_response", "no_response"]


@pytest.mark.parametrize("stage", [Stage.DELIBERATING, Stage.DECIDING])
def test_no_tracker_before_the_assembly_publishes(client: Any, tracked: Any, stage: str) -> None:
    tracked.assembly.stage = stage
    tracked.assembly.save()
    slug = tracked.assembly.slug
    for name in ("tracker", "tracker_csv", "tracker_json", "tracker_feed"):
        assert client.get(reverse(f"advocacy:{name}", args=[slug])).status_code == 404
    assert client.get(f"/api/v1/tracker/?assembly={slug}").json()["results"] == []


def test_a_private_assembly_has_no_tracker(client: Any, tracked: Any) -> None:
    tracked.assembly.is_public = False
    tracked.assembly.save()
    assert client.get(reverse("advocacy:tracker", args=[tracked.assembly.slug])).status_code == 404


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("?headline=full", [1]),
        ("?headline=part", [3]),
        ("?headline=no_response", [4, 5]),
        ("?response=rejected", [2]),
        ("?implementation=implemented_weaker", [3]),
        ("?overdue=1", [4, 5]),
        ("?q=rent", [2]),
        ("?headline=nonsense", [1, 2, 3, 4, 5]),
    ],
)
def test_filters_without_javascript(client: Any, tracked: Any, query: str, numbers: list[int]) -> None:
    body = _tracker(client, tracked, query)
    shown = [rec.number for rec in tracked.recs if f'id="recommendation-{rec.number}"' in body]
    assert shown == numbers


def test_csv_download_is_formula_safe(client: Any, tracked: Any) -> None:
    services.milestone_add(
        recommendation=tracked.recs[1],
        data={"date": "2026-11-20", "title": '=HYPERLINK("http://evil")', "status": "not_started"},
        by=tracked.organiser,
    )
    response = client.get(reverse("advocacy:tracker_csv", args=[tracked.assembly.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[1]["latest_milestone"].startswith("'=")
    assert rows[0]["implementation_status"] == "implemented" and rows[0]["headline"] == "full"
    assert rows[4]["response_status"] == "no_response" and rows[4]["justification"] == ""


def test_json_download(client: Any, tracked: Any) -> None:
    data = json.loads(client.get(reverse("advocacy:tracker_json", args=[tracked.assembly.slug])).content)
    assert data["headline"]["implemented_in_full"] == 1
    assert (
        data["recommendations"][2]["milestones"][0]["enacted_text"]
        == "Tax empty homes at twice the usual rate."
    )
    assert data["scorecards"][0]["response_rate_percent"] == 60


def test_the_atom_feed_parses_and_lists_public_changes(client: Any, tracked: Any) -> None:
    response = client.get(reverse("advocacy:tracker_feed", args=[tracked.assembly.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "Recommendation 1: implementation now “Implemented”" in titles
    assert "Recommendation 2: response now “Rejected”" in titles
    assert all(e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}updated") for e in entries)
    assert not any("principle" in (t or "") for t in titles)


def test_the_recommendation_page_shows_its_response_and_status(client: Any, tracked: Any) -> None:
    body = client.get(reverse("recommendations:detail", args=[tracked.assembly.slug, 3])).content.decode()
    assert "What happened to it" in body
    assert "Accepted with changes" in body and "Implemented in a weaker form" in body
    body = client.get(reverse("recommendations:detail", args=[tracked.assembly.slug, 4])).content.decode()
    assert "No response yet" in body and "overdue" in body


def test_the_recommendation_section_reads_its_rows_with_the_page_or_by_itself(tracked: Any) -> None:
    """On the page the response and tracking row come with the recommendation
    (no query of the section's own); read without them, the section reads
    them itself, and shows the same."""
    from advocacy.tracking.public import detail_section
    from recommendations.models import Recommendation
    from recommendations.public.selectors import recommendation_detail

    for number in (1, 3, 4, 5):
        with_page = recommendation_detail(tracked.assembly, number)["recommendation"]
        with CaptureQueriesContext(connection) as on_page:
            html = detail_section(with_page)
        alone = Recommendation.objects.get(assembly=tracked.assembly, number=number)
        with CaptureQueriesContext(connection) as by_itself:
            assert detail_section(alone) == html
        assert len(on_page) == len(by_itself) - 1, number


def test_the_recommendations_api_gains_response_and_implementation(client: Any, tracked: Any) -> None:
    rows = client.get(f"/api/v1/recommendations/?assembly={tracked.assembly.slug}").json()["results"]
    by_number = {row["number"]: row for row in rows}
    assert by_number[1]["implementation_status"] == "implemented"
    assert by_number[1]["response"]["status"] == "accepted"
    assert by_number[1]["response"]["date"] == "2026-08-01"
    assert by_number[4]["response"]["overdue"] is True
    assert by_number[5]["response"]["status"] == "no_response"


def test_the_tracker_api_and_a_past_headline(client: Any, tracked: Any) -> None:
    data = client.get(f"/api/v1/tracker/?assembly={tracked.assembly.slug}&as_of=2026-09-01").json()
    result = data["results"][0]
    assert result["headline"] == {
        "as_of": "2026-09-01", "implemented_in_full": 0, "implemented_in_part": 1, "not_implemented": 1,
        "no_response": 3, "total": 5,
    }  # fmt: skip
    assert [r["number"] for r in result["recommendations"]] == [1, 2, 3, 4, 5]
    assert client.get("/api/v1/tracker/?assembly=nope").json()["results"] == []


def test_the_assembly_page_shows_the_headline(client: Any, tracked: Any) -> None:
    body = client.get(tracked.assembly.get_absolute_url()).content.decode()
    assert "What happened to the recommendations" in body
    assert reverse("advocacy:tracker", args=[tracked.assembly.slug]) in body


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_tracker_does_not_query_per_row(client: Any, tracked: Any, settings: Any) -> None:
    settings.PLENARY_PUBLIC_CACHE = False
    slug = tracked.assembly.slug
    urls = [
        reverse("advocacy:tracker", args=[slug]),
        reverse("advocacy:tracker_csv", args=[slug]),
        reverse("advocacy:tracker_json", args=[slug]),
        reverse("advocacy:tracker_feed", args=[slug]),
        f"/api/v1/tracker/?assembly={slug}",
    ]
    before = [_count(client, url) for url in urls]
    for i in range(4):
        rec = make_adopted(tracked.assembly, title=f"More {i}")
        services.response_record(
            recommendation=rec,
            data={"status": "accepted", "responded_on": "2026-10-01", "institution": tracked.institution},
            by=tracked.organiser,
        )
        services.milestone_add(
            recommendation=rec,
            data={"date": "2026-10-02", "title": "Step", "status": "in_progress"},
            by=tracked.organiser,
        )
    after = [_count(client, url) for url in urls]
    assert after == before
    assert max(after) <= 20
