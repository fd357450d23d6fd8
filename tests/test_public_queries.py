"""The public pages' queries (issue 13: ≥ 150 requests/s without the page
cache): pinned, computed in full (fragments off, as on the first visit after
a change) and from the fragments kept under the assembly's public version
(assemblies.fragments), which never outlive a public change.

The selection page is pinned in tests/lottery/selection/test_public.py (it
needs a drawn lottery) and the programme's growth in
tests/deliberation/sessions/test_views.py."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assemblies.models import Stage
from config import public_cache
from recommendations.models import Ballot, BallotStatus, Recommendation
from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory, make_adopted

pytestmark = pytest.mark.django_db

PAGES = {
    "assembly": lambda a: reverse("assemblies:public-detail", args=[a.slug]),
    "programme": lambda a: reverse("deliberation:programme", args=[a.slug]),
    "recommendations": lambda a: reverse("recommendations:list", args=[a.slug]),
    # A search: the page cache keeps no copy of it, the list's fragment serves it.
    "search": lambda a: reverse("recommendations:list", args=[a.slug]) + "?q=recommendation+1&support=50",
    "recommendation": lambda a: reverse("recommendations:detail", args=[a.slug, 1]),
    "reports": lambda a: reverse("recommendations:reports", args=[a.slug]),
}
#: Queries of a page computed in full, whatever the number of recommendations,
#: sessions and agenda items (measured, then pinned). The sections' counts
#: are read as scalar subqueries of one statement each (assemblies.figures).
COLD = {"assembly": 10, "programme": 5, "recommendations": 4, "search": 4, "recommendation": 8, "reports": 2}
#: From the fragments: the assembly's row (the slug's lookup) and the page's own reads.
WARM = {"assembly": 1, "programme": 1, "recommendations": 1, "search": 1, "recommendation": 1, "reports": 3}


@pytest.fixture
def fragments(_test_settings: None, settings: Any) -> Iterator[None]:
    """Fragments on (the page cache off), in a local-memory store of this
    test's own."""
    settings.PLENARY_PUBLIC_CACHE = False
    settings.PLENARY_FRAGMENT_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        public_cache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-fragments-test-{uuid.uuid4()}",
        },
    }
    yield


def _published(assembly: Any, recommendations: int, sessions: int) -> Any:
    for i in range(recommendations):
        rec = make_adopted(assembly, title=f"Recommendation {i + 1}", text=f"**Text** {i + 1}")
        Ballot.objects.create(
            assembly=assembly,
            recommendation=rec,
            question=f"Adopt {i + 1}?",
            status=BallotStatus.CLOSED,
            closed_at=timezone.now(),
            results={"counts": {"yes": 30 + i, "no": 5, "abstain": 2}, "turnout": 37 + i, "electorate": 48},
        )
    for n in range(sessions):
        start = timezone.now() + dt.timedelta(days=5 + n)
        session = SessionFactory(
            assembly=assembly, starts_at=start, ends_at=start + dt.timedelta(hours=6), is_public=True
        )
        for k in range(2):
            item = AgendaItemFactory(session=session, position=k)
            item.speakers.add(SpeakerFactory(assembly=assembly))  # type: ignore[attr-defined]
    assembly.stage, assembly.is_public = Stage.PUBLISHED, True
    assembly.save(update_fields=["stage", "is_public"])
    return assembly


def _queries(client: Any, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content


@pytest.mark.parametrize("page", PAGES)
def test_a_public_page_computed_in_full_runs_a_fixed_number_of_queries(
    client: Any, assembly: Any, page: str
) -> None:
    _published(assembly, recommendations=2, sessions=1)
    url = PAGES[page](assembly)
    small, _ = _queries(client, url)
    _published(assembly, recommendations=4, sessions=3)
    large, _ = _queries(client, url)
    assert small == large, f"{page}: {small} queries with 2 recommendations, {large} with 6"
    assert large <= COLD[page], f"{page}: {large} queries (pinned at {COLD[page]})"


@pytest.mark.parametrize("page", PAGES)
def test_a_public_page_is_rendered_from_its_fragments_with_the_same_content(
    client: Any, assembly: Any, page: str, settings: Any, fragments: None
) -> None:
    _published(assembly, recommendations=3, sessions=2)
    url = PAGES[page](assembly)
    _, first = _queries(client, url)
    count, second = _queries(client, url)
    assert count <= WARM[page], f"{page}: {count} queries from the fragments (pinned at {WARM[page]})"
    assert second == first
    settings.PLENARY_FRAGMENT_CACHE = False
    assert _queries(client, url)[1] == first


def test_a_fragment_never_outlives_a_public_change(
    client: Any, assembly: Any, fragments: None, django_capture_on_commit_callbacks: Any
) -> None:
    _published(assembly, recommendations=2, sessions=1)
    urls = [PAGES[p](assembly) for p in ("recommendations", "recommendation")]
    for url in urls:
        assert "Recommendation 1" in client.get(url).content.decode()
    before = {p: client.get(PAGES[p](assembly)).content for p in ("assembly", "programme")}
    rec = Recommendation.objects.get(assembly=assembly, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        rec.title = "Insulate every school"
        rec.save(update_fields=["title"])
    for url in urls:
        page = client.get(url).content.decode()
        assert "Insulate every school" in page and "Recommendation 1<" not in page, url
    # A new public session: on the programme, and counted on the assembly's page.
    with django_capture_on_commit_callbacks(execute=True):
        start = timezone.now() + dt.timedelta(days=30)
        SessionFactory(
            assembly=assembly,
            title="Weekend on heat pumps",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
            is_public=True,
        )
    assert "Weekend on heat pumps" in client.get(PAGES["programme"](assembly)).content.decode()
    assert client.get(PAGES["assembly"](assembly)).content != before["assembly"]
    # A write that skips save() bumps by hand (or through its audit event).
    with django_capture_on_commit_callbacks(execute=True):
        Recommendation.objects.filter(pk=rec.pk).update(status="draft")
        public_cache.bump_assembly_on_commit(assembly.pk)
    assert client.get(PAGES["recommendation"](assembly)).status_code == 404


def test_fragments_are_kept_per_language(client: Any, assembly: Any, fragments: None) -> None:
    _published(assembly, recommendations=1, sessions=1)
    url = PAGES["programme"](assembly)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Agenda" in english and english != french
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode() == english
