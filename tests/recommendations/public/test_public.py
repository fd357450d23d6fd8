"""The published recommendation pages, the API and the downloads: only
adopted recommendations of published assemblies, aggregates only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assemblies.models import Stage
from deliberation.models import Evidence, Topic
from recommendations.ballots import services
from recommendations.models import Amendment, AmendmentState, MinorityStatement, Recommendation
from tests.factories import AssemblyFactory
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = pytest.mark.django_db


def decide(assembly: Any, organiser: Any, number: int, yes: int, no: int, **fields: Any) -> Recommendation:
    """A recommendation voted on by yes + no fresh members, then published."""
    if assembly.stage != Stage.DECIDING:
        assembly.stage = Stage.DECIDING
        assembly.save(update_fields=["stage"])
    rec = make_recommendation(assembly, number, **fields)
    ballot = services.ballot_create(assembly=assembly, recommendation=rec, question="?", by=organiser)
    services.ballot_open(ballot=ballot, by=organiser)
    for i, member in enumerate(make_members(assembly, yes + no, prefix=f"r{number}v")):
        services.vote_cast(ballot=ballot, member=member, choice="yes" if i < yes else "no", by=member.user)
    services.ballot_close(ballot=ballot, by=organiser)
    rec.refresh_from_db()
    return rec


def publish(assembly: Any) -> None:
    assembly.stage = Stage.PUBLISHED
    assembly.is_public = True
    assembly.save(update_fields=["stage", "is_public"])


@pytest.fixture
def published(assembly: Any, organiser: Any) -> Any:
    housing = Topic.objects.create(assembly=assembly, name="Renting")
    rec = decide(assembly, organiser, 1, 9, 1, title="Cap rent rises", addressee="Riverside Council")
    rec.topics.add(housing)
    decide(assembly, organiser, 2, 6, 4, title="Build more council homes", addressee="Government")
    decide(assembly, organiser, 3, 2, 8, title="Rejected idea")
    make_recommendation(assembly, 4, title="Still a draft")
    publish(assembly)
    return assembly


def list_url(assembly: Any, **query: str) -> str:
    url = reverse("recommendations:list", args=[assembly.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_list_shows_only_adopted_recommendations(client: Any, published: Any) -> None:
    body = client.get(list_url(published)).content.decode()
    assert "Cap rent rises" in body and "Build more council homes" in body
    assert "Rejected idea" not in body and "Still a draft" not in body
    assert "2 of 3 recommendations adopted; 1 with 80 % or more in favour" in body


def test_search_and_filters_work_without_javascript(client: Any, published: Any) -> None:
    def titles(**query: str) -> list[str]:
        body = client.get(list_url(published, **query)).content.decode()
        return [t for t in ("Cap rent rises", "Build more council homes") if t in body]

    assert titles(q="council+homes") == ["Build more council homes"]
    assert titles(q="nothing-matches") == []
    topic = Topic.objects.get(name="Renting")
    assert titles(topic=str(topic.pk)) == ["Cap rent rises"]
    assert titles(addressee="Government") == ["Build more council homes"]
    assert titles(support="80") == ["Cap rent rises"]
    assert titles(support="bogus", topic="x") == ["Cap rent rises", "Build more council homes"]
    assert 'method="get"' in client.get(list_url(published)).content.decode()


def test_search_ignores_case_in_any_language_and_needs_every_word(
    client: Any, assembly: Any, organiser: Any
) -> None:
    decide(
        assembly,
        organiser,
        1,
        7,
        3,
        title="Slow down rent rises",
        rationale="Tenants leave the district",
        title_translations={"fr": "Élever les loyers moins vite"},
    )
    decide(
        assembly,
        organiser,
        2,
        7,
        3,
        title="Insulate schools",
        addressee="Ministry of Education",
        rationale="Un plan régional",
    )
    publish(assembly)

    def titles(q: str) -> list[str]:
        body = client.get(list_url(assembly, q=q)).content.decode()
        return [t for t in ("Slow down rent rises", "Insulate schools") if t in body]

    # The French title, whatever the case of its accented letters (SQLite's LIKE
    # ignores case for ASCII letters only).
    assert titles("%C3%89LEVER") == ["Slow down rent rises"]
    assert titles("%C3%A9lever+RENT") == ["Slow down rent rises"]
    assert titles("district+loyers") == ["Slow down rent rises"]  # each word in any field
    assert titles("district+schools") == []  # every word must appear
    assert titles("education") == ["Insulate schools"]  # the addressee
    assert titles("fr") == []  # a language's code is not its text
    # Accents set aside too, both ways.
    assert titles("LOYERS+elever") == ["Slow down rent rises"]
    assert titles("REGIONAL") == ["Insulate schools"]
    assert titles("r%C3%A9gional") == ["Insulate schools"]


def test_unpublished_assembly_pages_are_404(client: Any, assembly: Any, organiser: Any) -> None:
    decide(assembly, organiser, 1, 3, 0)  # adopted, but the assembly is still deciding
    assert client.get(list_url(assembly)).status_code == 404
    assert client.get(reverse("recommendations:detail", args=[assembly.slug, 1])).status_code == 404
    assert client.get(reverse("recommendations:download_csv", args=[assembly.slug])).status_code == 404
    response = client.get(reverse("api:public-recommendation-list") + f"?assembly={assembly.slug}")
    assert response.status_code == 200 and response.json()["results"] == []
    # Published but not public: still nothing.
    assembly.stage = Stage.PUBLISHED
    assembly.is_public = False
    assembly.save()
    assert client.get(list_url(assembly)).status_code == 404


def test_detail_page(client: Any, published: Any) -> None:
    rec = Recommendation.objects.get(assembly=published, number=1)
    rec.text = "The council should **cap** rents.\n\n<script>alert(1)</script>"
    rec.save()
    Amendment.objects.create(
        recommendation=rec,
        paragraph=1,
        base_version=0,
        original="limit",
        proposed="cap",
        state=AmendmentState.ACCEPTED,
    )
    Amendment.objects.create(
        recommendation=rec,
        paragraph=1,
        base_version=0,
        original="x",
        proposed="rejected words",
        state="rejected",
    )
    evidence = Evidence.objects.create(assembly=published, title="Rents report", is_published=True)
    secret_evidence = Evidence.objects.create(assembly=published, title="Internal memo", is_published=False)
    rec.evidence.add(evidence, secret_evidence)
    MinorityStatement.objects.create(recommendation=rec, text="A cap is not enough.", signed_as="Jo and Sam")
    MinorityStatement.objects.create(
        recommendation=rec, text="Withdrawn words.", withdrawn_at="2026-01-01T00:00Z"
    )
    url = reverse("recommendations:detail", args=[published.slug, 1])
    body = client.get(url).content.decode()
    assert "<strong>cap</strong>" in body and "<script>alert" not in body
    assert "90 %" in body and "(needed: more than half)" in body and "<svg" in body and "<table" in body
    assert "Rents report" in body and "Internal memo" not in body
    assert "A cap is not enough." in body and "Jo and Sam" in body and "Withdrawn words." not in body
    assert "rejected words" not in body
    assert 'property="og:title" content="1. Cap rent rises"' in body
    assert f'<link rel="canonical" href="http://testserver{url}">' in body
    printable = client.get(reverse("recommendations:print", args=[published.slug, 1])).content.decode()
    assert "Cap rent rises" in printable and "site-header" not in printable
    assert "img/favicon" in printable  # its own icon: no request for a missing /favicon.ico
    assert client.get(reverse("recommendations:detail", args=[published.slug, 3])).status_code == 404
    assert client.get(reverse("recommendations:detail", args=[published.slug, 4])).status_code == 404


def test_detail_page_results_of_the_text_and_of_each_accepted_amendment(client: Any, published: Any) -> None:
    """One read of the closed ballots serves both: the text's latest closed
    ballot on the text decides it, each amendment's latest its own."""
    import datetime as dt

    from django.utils import timezone

    from recommendations.models import Ballot, BallotStatus

    rec = Recommendation.objects.get(assembly=published, number=1)
    amendment = Amendment.objects.create(
        recommendation=rec, paragraph=1, base_version=0, original="limit", proposed="cap", state="accepted"
    )
    later = timezone.now() + dt.timedelta(hours=1)

    def closed(yes: int, no: int, at: Any, **target: Any) -> None:
        Ballot.objects.create(
            assembly=published, question="?", status=BallotStatus.CLOSED, closed_at=at,
            results={"counts": {"yes": yes, "no": no, "abstain": 0}, "turnout": yes + no, "electorate": 20},
            **target,
        )  # fmt: skip

    closed(3, 7, later, amendment=amendment)  # its first vote
    closed(1, 19, later + dt.timedelta(minutes=5), recommendation=rec)  # the text's latest: 5 %
    closed(
        7, 3, later + dt.timedelta(minutes=10), amendment=amendment
    )  # the latest of all, the amendment's: 70 %
    body = client.get(reverse("recommendations:detail", args=[published.slug, 1])).content.decode()
    vote = body.split('id="vote-heading"', 1)[1].split("</section>", 1)[0]
    amendments = body.split('id="amendments-heading"', 1)[1].split("</section>", 1)[0]
    assert "5 %" in vote and "90 %" not in vote  # the text's latest ballot, not its first (90 %)
    assert "Accepted by the assembly's vote: 70 % in favour, 10 votes." in amendments


def test_visitors_language_with_fallback(client: Any, published: Any) -> None:
    Recommendation.objects.filter(assembly=published, number=1).update(
        title_translations={"fr": "Plafonner les loyers"},
        text_translations={"fr": "Le conseil doit plafonner."},
    )
    url = reverse("recommendations:detail", args=[published.slug, 1])
    with translation.override("fr"):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Plafonner les loyers" in body and "Le conseil doit plafonner." in body
    other = client.get(reverse("recommendations:detail", args=[published.slug, 2]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Build more council homes" in other.content.decode()


def test_api_lists_published_recommendations_with_results(client: Any, published: Any) -> None:
    response = client.get(reverse("api:public-recommendation-list") + f"?assembly={published.slug}")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["number"] == 1 and first["title"] == "Cap rent rises"
    assert first["url"] == f"http://testserver/assemblies/{published.slug}/recommendations/1/"
    assert first["result"]["counts"] == {"yes": 9, "no": 1, "abstain": 0}
    assert first["result"]["threshold"] == "majority" and first["result"]["adopted"] is True
    response = client.get(reverse("api:public-recommendation-list") + "?assembly=no-such-assembly")
    assert response.status_code == 200 and response.json()["results"] == []
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/recommendations/" in schema


def test_downloads_are_formula_safe(client: Any, published: Any) -> None:
    Recommendation.objects.filter(assembly=published, number=1).update(title="=HYPERLINK(1)")
    response = client.get(reverse("recommendations:download_csv", args=[published.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["number", "title", "text"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert len(rows) == 3
    data = json.loads(client.get(reverse("recommendations:download_json", args=[published.slug])).content)
    assert [r["number"] for r in data["recommendations"]] == [1, 2]
    assert data["recommendations"][0]["title"] == "=HYPERLINK(1)"


def test_assembly_page_links_to_the_recommendations(client: Any, published: Any) -> None:
    body = client.get(published.get_absolute_url()).content.decode()
    assert reverse("recommendations:list", args=[published.slug]) in body
    assert "2 / 3" in body


def test_list_paginates_beyond_fifty_and_queries_do_not_grow(
    client: Any, assembly: Any, organiser: Any
) -> None:
    publish(assembly)
    Recommendation.objects.bulk_create(
        Recommendation(assembly=assembly, number=n, title=f"Rec {n}", text="t", status="adopted")
        for n in range(1, 4)
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(assembly)).status_code == 200
        return len(captured)

    few = count()
    Recommendation.objects.bulk_create(
        Recommendation(assembly=assembly, number=n, title=f"Rec {n}", text="t", status="adopted")
        for n in range(4, 56)
    )
    assert count() == few <= 15
    body = client.get(list_url(assembly)).content.decode()
    assert "Page 1 of 2" in body and "Rec 50" in body and "Rec 51<" not in body
    assert "Rec 55" in client.get(list_url(assembly, page="2")).content.decode()


def test_other_published_assembly_does_not_leak(client: Any, published: Any) -> None:
    other = AssemblyFactory(stage=Stage.PUBLISHED, is_public=True)
    assert "Cap rent rises" not in client.get(list_url(other)).content.decode()
    assert client.get(reverse("recommendations:detail", args=[other.slug, 1])).status_code == 404
