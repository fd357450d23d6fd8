"""Issue 9, items 2, 6 and 7: the API enforces organisers' TOTP itself, answers
every error in JSON, and throttles."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def mfa_required(settings: Any) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = True


def _token_client(user: Any) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def _session_client(user: Any) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


# --- item 2: TOTP on the organisers' endpoints, whatever the credentials --------
@pytest.mark.parametrize("login", [_token_client, _session_client], ids=["token", "session"])
def test_organiser_without_totp_is_refused_by_the_api(
    login: Any, organiser: Any, assembly: Any, mfa_required: None
) -> None:
    api = login(organiser)

    listed = api.get("/api/v1/manage/assemblies/")
    members = api.get(f"/api/v1/manage/assemblies/{assembly.pk}/members/")
    patched = api.patch(f"/api/v1/manage/assemblies/{assembly.pk}/", {"remit": "Hijacked"}, format="json")

    for response in (listed, members, patched):
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        assert "two-factor" in response.json()["detail"].lower()
    assembly.refresh_from_db()
    assert assembly.remit != "Hijacked"


@pytest.mark.parametrize("login", [_token_client, _session_client], ids=["token", "session"])
def test_organiser_with_totp_uses_the_api(
    login: Any, organiser: Any, assembly: Any, mfa_required: None
) -> None:
    Authenticator.objects.create(user=organiser, type=Authenticator.Type.TOTP, data={"secret": "x"})

    response = login(organiser).get("/api/v1/manage/assemblies/")

    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["results"]] == [assembly.slug]


def test_public_endpoints_need_no_totp(api: APIClient, assembly: Any, mfa_required: None) -> None:
    assert api.get("/api/v1/assemblies/").status_code == 200


def test_every_organisers_endpoint_carries_the_totp_permission() -> None:
    from accounts.permissions import OrganiserMFA
    from config.api import router

    managed = [viewset for prefix, viewset, _ in router.registry if prefix.startswith("manage/")]
    assert managed
    for viewset in managed:
        assert OrganiserMFA in viewset.permission_classes, viewset


# --- item 6: no 500, and errors in JSON --------------------------------------------
def test_a_huge_limit_is_clamped_not_a_500(api: APIClient, assembly: Any) -> None:
    response = api.get(
        "/api/v1/assemblies/", {"limit": "9223372036854775808", "offset": "9223372036854775808"}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api.get("/api/v1/assemblies/", {"limit": "9223372036854775808"}).json()["count"] == 1


def test_end_before_start_is_a_400_naming_the_field(api: APIClient, organiser: Any, assembly: Any) -> None:
    api.force_authenticate(organiser)
    url = f"/api/v1/manage/assemblies/{assembly.pk}/"

    patched = api.patch(url, {"starts_on": "2026-05-10", "ends_on": "2026-05-01"}, format="json")
    only_end = api.patch(url, {"starts_on": "2026-05-10"}, format="json")
    end_first = api.patch(url, {"ends_on": "2026-05-01"}, format="json")

    assert patched.status_code == 400
    assert patched["Content-Type"] == "application/json"
    assert "ends_on" in patched.json()
    assert only_end.status_code == 200
    assert end_first.status_code == 400
    assert "ends_on" in end_first.json()


def test_a_put_with_the_end_before_the_start_is_a_400(api: APIClient, organiser: Any, assembly: Any) -> None:
    api.force_authenticate(organiser)
    body = {
        "slug": assembly.slug,
        "title": "T",
        "remit": "R",
        "starts_on": "2026-05-10",
        "ends_on": "2026-05-01",
    }

    response = api.put(f"/api/v1/manage/assemblies/{assembly.pk}/", body, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "ends_on" in response.json()


@pytest.mark.parametrize("languages", ["en", {"en": 1}, ["xx"], ["\u0000"], [["en"]]])
def test_languages_are_site_language_codes_only(
    api: APIClient, organiser: Any, assembly: Any, languages: Any
) -> None:
    # A JSON field: anything was stored as typed, and a NUL was a 500 on PostgreSQL.
    api.force_authenticate(organiser)
    url = f"/api/v1/manage/assemblies/{assembly.pk}/"

    refused = api.patch(url, {"languages": languages}, format="json")
    accepted = api.patch(url, {"languages": ["fr", "en", "fr"]}, format="json")

    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/json"
    assert "languages" in refused.json()
    assert accepted.status_code == 200
    assert accepted.json()["languages"] == ["fr", "en"]
    assembly.refresh_from_db()
    assert assembly.languages == ["fr", "en"]


def test_unknown_api_urls_answer_json_404(api: APIClient, organiser: Any, db: None) -> None:
    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unexpected_error_in_the_api_is_json(api: APIClient, organiser: Any, monkeypatch: Any) -> None:
    from assemblies import api as assemblies_api

    def explode(self: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(assemblies_api.PublicAssemblyViewSet, "get_queryset", explode)
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/v1/assemblies/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "boom" not in response.content.decode()
    assert response.json() == {"detail": "A server error occurred."}


# --- item 7: throttling ----------------------------------------------------------------
@pytest.fixture
def fresh_counts() -> Any:
    from django.core.cache import cache

    cache.clear()  # throttle counters must not leak between tests
    yield
    cache.clear()


def test_the_default_rates_are_120_anonymous_and_600_per_user_a_minute() -> None:
    # The settings module as production reads it, without the test suite's raised rates.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PLENARY_API_")}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PLENARY_API_ANON_RATE, s.PLENARY_API_USER_RATE, "
        "*s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "120/min",
        "600/min",
        "config.api_conventions.AnonThrottle",
        "config.api_conventions.UserThrottle",
    ]


def test_anonymous_clients_get_120_requests_a_minute_then_429(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_API_ANON_RATE = "120/min"  # the default (test above); the suite raises it
    statuses = [api.get("/api/v1/assemblies/").status_code for _ in range(121)]

    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    refused = api.get(f"/api/v1/assemblies/{assembly.slug}/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert int(refused["Retry-After"]) > 0


def test_a_forged_forwarded_for_header_does_not_reset_the_count(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_API_ANON_RATE = "5/min"
    statuses = [
        api.get("/api/v1/assemblies/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(6)
    ]

    assert statuses == [200] * 5 + [429]


def test_the_anonymous_rate_is_a_setting(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_API_ANON_RATE = "1000/min"

    assert {api.get("/api/v1/assemblies/").status_code for _ in range(130)} == {200}


def test_anonymous_clients_are_counted_by_the_anonymous_rate_alone(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    # The per-user rate is for signed-in clients: a lower one never limits a visitor.
    settings.PLENARY_API_USER_RATE = "2/min"
    settings.PLENARY_API_ANON_RATE = "5/min"

    statuses = [api.get("/api/v1/assemblies/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_an_empty_anonymous_rate_turns_the_limit_off(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_API_ANON_RATE = ""
    settings.PLENARY_API_USER_RATE = "2/min"

    assert {api.get("/api/v1/assemblies/").status_code for _ in range(5)} == {200}


def test_authenticated_clients_are_throttled_per_user(
    organiser: Any, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_API_USER_RATE = "3/min"
    api = _token_client(organiser)

    statuses = [api.get("/api/v1/manage/assemblies/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_the_public_page_cache_never_serves_the_api_past_its_throttle(
    api: APIClient, assembly: Any, settings: Any, fresh_counts: None
) -> None:
    settings.PLENARY_PUBLIC_CACHE = True
    settings.PLENARY_API_ANON_RATE = "3/min"

    responses = [api.get(f"/api/v1/assemblies/{assembly.slug}/") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert not any(r.has_header("X-Public-Cache") for r in responses)


def test_the_schema_documents_429_on_every_operation(client: Any, db: None) -> None:
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)

    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        assert "429" in operation["responses"], operation["operationId"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]


@pytest.mark.requires_redis
def test_the_count_lives_in_redis_where_every_worker_sees_it(
    api: APIClient, assembly: Any, settings: Any
) -> None:
    import os

    from django.core.cache.backends.redis import RedisCache

    url = os.environ["REDIS_URL"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.PLENARY_API_ANON_RATE = "3/min"
    other_worker = RedisCache(url, {})
    other_worker.delete("throttle_anon_127.0.0.1")
    try:
        statuses = [api.get("/api/v1/assemblies/").status_code for _ in range(4)]

        assert statuses == [200, 200, 200, 429]
        assert len(other_worker.get("throttle_anon_127.0.0.1")) == 3
    finally:
        other_worker.delete("throttle_anon_127.0.0.1")
