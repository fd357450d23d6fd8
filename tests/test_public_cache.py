"""The public pages' cache (config.public_cache, config.middleware.PublicPageCacheMiddleware):
anonymous visitors get a stored copy, every kind of public change is seen by
the next request (versions bumped on commit), and neither the language nor the
login state ever leaks between copies."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assemblies.models import Stage
from assemblies.services import assembly_transition
from config import public_cache
from deliberation.evidence.services import evidence_publish
from deliberation.sessions.services import session_update
from recommendations.ballots import services as ballots
from recommendations.models import Recommendation
from tests.factories import AssemblyFactory, EvidenceFactory, SessionFactory, make_adopted
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(_test_settings: None, settings: Any) -> Iterator[None]:
    """The cache on, in a local-memory store of this test's own (never a
    clear() of a Redis database other things may share)."""
    settings.PLENARY_PUBLIC_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        public_cache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-cache-test-{uuid.uuid4()}",
        },
    }
    yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a change and its on-commit callbacks (the bumps), as a committed transaction would."""

    def run(change: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def published(assembly: Any) -> Any:
    assembly.stage = Stage.PUBLISHED
    assembly.is_public = True
    assembly.save(update_fields=["stage", "is_public"])
    return assembly


def get(client: Any, url: str, **headers: Any) -> Any:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


PAGES = {
    "home": lambda a: reverse("assemblies:home"),
    "assembly": lambda a: reverse("assemblies:public-detail", args=[a.slug]),
    "programme": lambda a: reverse("deliberation:programme", args=[a.slug]),
    "evidence": lambda a: reverse("deliberation:evidence_library", args=[a.slug]),
    "recommendations": lambda a: reverse("recommendations:list", args=[a.slug]),
    "recommendation": lambda a: reverse("recommendations:detail", args=[a.slug, 1]),
    "selection": lambda a: reverse("lottery:selection_public", args=[a.slug]),
    "reports": lambda a: reverse("recommendations:reports", args=[a.slug]),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client: Any, assembly: Any, page: str
) -> None:
    make_adopted(assembly, title="Insulate every school")
    published(assembly)
    url = PAGES[page](assembly)
    first = get(client, url)
    assert first["X-Public-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url)
    assert second["X-Public-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    # The headers the middleware below the cache adds are kept with the copy.
    assert "Content-Security-Policy" in second and second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "en"
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_a_head_request_gets_the_cached_copy(client: Any, assembly: Any) -> None:
    url = PAGES["assembly"](assembly)
    get(client, url)
    head = client.head(url)
    assert head.status_code == 200 and head["X-Public-Cache"] == "hit"


def test_publishing_a_session_shows_on_the_next_programme_request(
    client: Any, assembly: Any, organiser: Any, commit: Any
) -> None:
    start = timezone.now() + dt.timedelta(days=12)
    session = SessionFactory(
        assembly=assembly,
        title="Weekend on heat pumps",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
    )
    url = PAGES["programme"](assembly)
    assert "Weekend on heat pumps" not in get(client, url).content.decode()
    assert get(client, url)["X-Public-Cache"] == "hit"
    commit(session_update, session=session, data={"is_public": True}, by=organiser)
    page = get(client, url)
    assert page["X-Public-Cache"] == "miss"
    assert "Weekend on heat pumps" in page.content.decode()


def test_publishing_evidence_shows_on_the_next_library_request(
    client: Any, assembly: Any, organiser: Any, commit: Any
) -> None:
    evidence = EvidenceFactory(
        assembly=assembly, title="Heat pump costs in 2026", url="https://example.org/hp"
    )
    url = PAGES["evidence"](assembly)
    assert "Heat pump costs in 2026" not in get(client, url).content.decode()
    commit(evidence_publish, evidence=evidence, published=True, by=organiser)
    assert "Heat pump costs in 2026" in get(client, url).content.decode()


def test_a_recommendation_edit_shows_on_the_next_request(client: Any, assembly: Any, commit: Any) -> None:
    recommendation = make_adopted(assembly, title="Insulate every school")
    published(assembly)
    detail, listing = PAGES["recommendation"](assembly), PAGES["recommendations"](assembly)
    assert "Insulate every school" in get(client, detail).content.decode()
    assert "Insulate every school" in get(client, listing).content.decode()

    def correct() -> None:
        with transaction.atomic():
            recommendation.title = "Insulate every school by 2030"
            recommendation.save(update_fields=["title"])

    commit(correct)
    assert "Insulate every school by 2030" in get(client, detail).content.decode()
    assert "Insulate every school by 2030" in get(client, listing).content.decode()


def test_a_ballot_close_shows_on_the_next_request(
    client: Any, assembly: Any, organiser: Any, commit: Any
) -> None:
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    recommendation = make_recommendation(assembly, 1, title="Free buses on Sundays")
    ballot = ballots.ballot_create(
        assembly=assembly, recommendation=recommendation, question="?", by=organiser
    )
    ballots.ballot_open(ballot=ballot, by=organiser)
    for voter in make_members(assembly, 4, prefix="cache"):
        ballots.vote_cast(ballot=ballot, member=voter, choice="yes", by=voter.user)
    published(assembly)  # the results are out while this ballot is still open
    url = PAGES["recommendations"](assembly)
    assert "Free buses on Sundays" not in get(client, url).content.decode()
    assert get(client, url)["X-Public-Cache"] == "hit"
    commit(ballots.ballot_close, ballot=ballot, by=organiser)
    assert Recommendation.objects.get(pk=recommendation.pk).status == "adopted"
    assert "Free buses on Sundays" in get(client, url).content.decode()


def test_the_stage_moving_shows_on_the_next_request_of_the_assembly_and_home_pages(
    client: Any, assembly: Any, organiser: Any, commit: Any
) -> None:
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    page, home = PAGES["assembly"](assembly), PAGES["home"](assembly)
    assert "Deciding" in get(client, page).content.decode()
    get(client, home)
    assert get(client, home)["X-Public-Cache"] == "hit"
    commit(assembly_transition, assembly=assembly, to_stage=Stage.PUBLISHED, by=organiser)
    assert "Published" in get(client, page).content.decode()
    assert get(client, home)["X-Public-Cache"] == "miss"


def test_the_version_moves_on_commit_only(assembly: Any, django_capture_on_commit_callbacks: Any) -> None:
    key = public_cache.assembly_version_key(assembly.pk)
    before = public_cache.versions([key])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assembly.title = "Renamed"
        assembly.save(update_fields=["title"])
    assert public_cache.versions([key]) == before  # not yet committed: nothing moved
    for callback in callbacks:
        callback()
    assert public_cache.versions([key]) != before


def test_another_assemblys_change_leaves_this_assemblys_copy(client: Any, assembly: Any, commit: Any) -> None:
    other: Any = AssemblyFactory()
    url = PAGES["assembly"](assembly)
    get(client, url)
    commit(lambda: other.save())
    assert get(client, url)["X-Public-Cache"] == "hit"


def test_french_never_reaches_an_english_visitor(client: Any, assembly: Any) -> None:
    url = PAGES["assembly"](assembly)
    french = get(client, url, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in french.content.decode() and french["Content-Language"] == "fr"
    english = get(Client(), url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode() and english["X-Public-Cache"] == "miss"
    # The language cookie counts before Accept-Language, as LocaleMiddleware reads it.
    cookie = Client()
    cookie.cookies["django_language"] = "fr"
    again = get(cookie, url, HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Public-Cache"] == "hit" and '<html lang="fr">' in again.content.decode()
    assert '<html lang="en">' in get(Client(), url).content.decode()


def test_an_organisers_page_is_never_stored_nor_served_to_anonymous_visitors(
    client: Any, organiser_client: Any, assembly: Any, organiser: Any
) -> None:
    url = PAGES["assembly"](assembly)
    logged_in = get(organiser_client, url)
    assert "Log out" in logged_in.content.decode()
    assert "X-Public-Cache" not in logged_in
    assert "X-Public-Cache" not in get(organiser_client, url)
    anonymous = get(Client(), url)
    assert anonymous["X-Public-Cache"] == "miss"
    assert "Log out" not in anonymous.content.decode() and "Log in" in anonymous.content.decode()
    # ...and a logged-in visitor never gets the anonymous copy.
    assert "Log out" in get(organiser_client, url).content.decode()


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "tracking"])
def test_a_request_with_a_session_messages_or_unknown_cookie_bypasses_the_cache(
    assembly: Any, cookie: str
) -> None:
    url = PAGES["assembly"](assembly)
    get(Client(), url)
    visitor = Client()
    visitor.cookies[cookie] = "x"
    assert "X-Public-Cache" not in get(visitor, url)


def test_an_authorization_header_or_an_htmx_request_bypasses_the_cache(assembly: Any) -> None:
    url = PAGES["assembly"](assembly)
    get(Client(), url)
    assert "X-Public-Cache" not in get(Client(), url, HTTP_AUTHORIZATION="Token abc")
    assert "X-Public-Cache" not in get(Client(), url, HTTP_HX_REQUEST="true")


def test_errors_and_unknown_assemblies_are_not_stored(client: Any, assembly: Any) -> None:
    hidden = AssemblyFactory(is_public=False)
    for slug in ("no-such-assembly", hidden.slug):
        url = reverse("assemblies:public-detail", args=[slug])
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404
        assert "X-Public-Cache" not in client.get(url)


def test_a_response_that_sets_a_cookie_is_not_stored(client: Any, assembly: Any) -> None:
    from django.http import HttpResponse

    from config.middleware import PublicPageCacheMiddleware

    response = HttpResponse("page")
    assert PublicPageCacheMiddleware._storable(response)
    response.set_cookie("csrftoken", "x")
    assert not PublicPageCacheMiddleware._storable(response)
    assert not PublicPageCacheMiddleware._storable(HttpResponse('<input name="csrfmiddlewaretoken">'))
    private = HttpResponse("page")
    private["Cache-Control"] = "private"
    assert not PublicPageCacheMiddleware._storable(private)


def test_the_language_switcher_works_without_a_csrf_token(assembly: Any) -> None:
    visitor = Client(enforce_csrf_checks=True)
    url = PAGES["assembly"](assembly)
    assert "csrfmiddlewaretoken" not in get(visitor, url).content.decode()
    response = visitor.post(reverse("set_language"), {"language": "fr", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert '<html lang="fr">' in get(visitor, url).content.decode()
    # next still has to stay on this site
    away = visitor.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert away["Location"] == "/"


def test_a_renamed_slug_is_looked_up_again(client: Any, assembly: Any, commit: Any) -> None:
    old = PAGES["assembly"](assembly)
    get(client, old)

    def rename() -> None:
        assembly.slug = "renamed-assembly"
        assembly.save(update_fields=["slug"])

    commit(rename)
    assert client.get(old).status_code == 404
    AssemblyFactory(slug=old.strip("/").split("/")[-1], title="A new assembly at the old address")
    assert "A new assembly at the old address" in get(client, old).content.decode()


def test_publishing_a_report_shows_on_the_next_reports_page_request(
    client: Any, assembly: Any, commit: Any
) -> None:
    from tests.recommendations.report.helpers import reported_assembly, stored_document

    reported_assembly(assembly, 1)
    url = reverse("recommendations:reports", args=[assembly.slug])
    draft = stored_document(assembly)
    sha = draft.files.get(format="pdf").sha256
    assert sha not in get(client, url).content.decode()
    assert get(client, url)["X-Public-Cache"] == "hit"

    def publish() -> None:
        with transaction.atomic():
            draft.status = "published"
            draft.published_at = timezone.now()
            draft.save(update_fields=["status", "published_at"])

    commit(publish)
    assert sha in get(client, url).content.decode()


def test_a_query_string_is_rendered_not_cached(client: Any, assembly: Any) -> None:
    url = PAGES["assembly"](assembly)
    get(client, url)
    for query in ("?utm=news", "?utm=news"):
        assert "X-Public-Cache" not in get(client, url + query)
    assert get(client, url)["X-Public-Cache"] == "hit"


def test_a_failing_cache_renders_the_page_and_a_change_still_saves(
    client: Any, assembly: Any, monkeypatch: Any, commit: Any
) -> None:
    class Down:
        def __getattr__(self, name: str) -> Any:
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(public_cache, "cache", lambda: Down())
    page = get(client, PAGES["assembly"](assembly))
    assert "X-Public-Cache" not in page and assembly.title in page.content.decode()

    def rename() -> None:
        with transaction.atomic():
            assembly.title = "Renamed while Redis is down"
            assembly.save(update_fields=["title"])

    commit(rename)  # the bump fails, logged; the organiser's change is saved
    assert "Renamed while Redis is down" in get(client, PAGES["assembly"](assembly)).content.decode()


@pytest.mark.requires_redis
def test_copies_and_versions_live_in_redis_shared_by_every_worker(
    client: Any, assembly: Any, settings: Any
) -> None:
    import os

    from django.core.cache.backends.redis import RedisCache

    prefix = f"plenary-public-test-{uuid.uuid4()}"  # its own keys: nothing else in that Redis is touched
    settings.PLENARY_PUBLIC_CACHE_SECONDS = 30
    settings.CACHES = {
        **settings.CACHES,
        public_cache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        },
    }
    url = PAGES["assembly"](assembly)
    first = get(client, url)
    second = get(client, url)
    assert second["X-Public-Cache"] == "hit" and second.content == first.content
    # Another worker reads the same versions: its bump is seen here.
    other_worker = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": prefix})
    key = public_cache.assembly_version_key(assembly.pk)
    try:
        assert other_worker.get(key) == public_cache.versions([key])[0]
        other_worker.set(key, 1, timeout=None)
        assert get(client, url)["X-Public-Cache"] == "miss"
    finally:
        other_worker.delete_many([key, public_cache.SITE_VERSION, public_cache.slug_key(assembly.slug)])


def test_every_public_content_model_is_connected() -> None:
    """A misspelt label in PUBLIC_CONTENT would silently never bump."""
    assert sorted(m._meta.label for m in public_cache._resolvers) == sorted(public_cache.PUBLIC_CONTENT)


def test_an_agenda_item_bumps_its_sessions_assembly(assembly: Any, commit: Any) -> None:
    from tests.factories import AgendaItemFactory

    session = SessionFactory(assembly=assembly, is_public=True)
    key = public_cache.assembly_version_key(assembly.pk)
    before = public_cache.versions([key])
    commit(AgendaItemFactory, session=session, title="Questions to the panel")
    assert public_cache.versions([key]) != before
