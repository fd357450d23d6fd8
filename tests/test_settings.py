"""Production defaults switch on with DEBUG=0, and each can be switched off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-Zq8#mW2!pLx9@vR4$tY7^uI0&oP3*aS",
    "ALLOWED_HOSTS": "plenary.example",
}


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(*names: str, **env: str) -> dict[str, Any]:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_on_with_debug_off() -> None:
    values = _settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "PLENARY_REQUIRE_ORGANISER_MFA",
        "PLENARY_DEMO_MAILBOX",
        "CELERY_TASK_ALWAYS_EAGER",
        **PRODUCTION_ENV,
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "PLENARY_REQUIRE_ORGANISER_MFA": True,
        "PLENARY_DEMO_MAILBOX": False,
        "CELERY_TASK_ALWAYS_EAGER": True,
    }


def test_each_https_default_can_be_switched_off_for_a_plain_http_rig() -> None:
    values = _settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        **PRODUCTION_ENV,
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_check_deploy_passes_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start() -> None:
    result = _run("import django; django.setup()", DEBUG="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_redis_url_switches_tasks_to_real_workers() -> None:
    values = _settings("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", REDIS_URL="redis://127.0.0.1:6379/5")
    assert values == {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5"}


def test_postgresql_prepares_repeated_queries_unless_turned_off() -> None:
    url = "postgres://plenary@127.0.0.1:5432/plenary"
    on = _settings("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    off = _settings("DATABASES", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")["DATABASES"]["default"]
    sqlite = _settings("DATABASES")["DATABASES"]["default"]

    assert on["server_side_binding"] is True and on["prepare_threshold"] == 2
    assert "server_side_binding" not in off["OPTIONS"] and "prepare_threshold" not in off["OPTIONS"]
    assert "server_side_binding" not in sqlite.get("OPTIONS", {})


def test_public_cache_is_shared_or_off_in_production() -> None:
    """Per-process copies would let one gunicorn worker serve a page another
    worker's publish made stale: with DEBUG off, no Redis means no cache."""
    no_redis = _settings("PLENARY_PUBLIC_CACHE", **PRODUCTION_ENV)
    with_redis = _settings("PLENARY_PUBLIC_CACHE", REDIS_URL="redis://127.0.0.1:6379/5", **PRODUCTION_ENV)
    development = _settings("PLENARY_PUBLIC_CACHE", DEBUG="1")

    assert no_redis == {"PLENARY_PUBLIC_CACHE": False}
    assert with_redis == {"PLENARY_PUBLIC_CACHE": True}
    assert development == {"PLENARY_PUBLIC_CACHE": True}


def test_csp_is_enforced_without_inline_scripts(client: Any, db: None) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in response.content.decode()


def test_debug_off_refuses_a_weak_secret_key() -> None:
    """Issue 9, item 10: a one-character key was accepted. Refused like
    Django's security check: under 50 characters, under 5 distinct ones, or
    a development or placeholder key."""
    weak = {
        "one character": "x",
        "short": "Zq8#mW2!pLx9@vR4$tY7",
        "few distinct characters": "ab" * 40,
        "the development key": "plenary-insecure-development-key-do-not-use-in-production",
        "Django's generated insecure key": "django-insecure-"
        + "Zq8#mW2!pLx9@vR4$tY7^uI0&oP3*aS-k2j3h4g5f6d7s8a9",
    }
    for label, key in weak.items():
        result = _run("import django; django.setup()", DEBUG="0", ALLOWED_HOSTS="x", SECRET_KEY=key)
        assert result.returncode != 0, label
        assert "SECRET_KEY is too weak" in result.stderr, (label, result.stderr[-500:])
        if len(key) > 10:  # a one-letter key is in any traceback by chance
            assert key not in result.stderr, f"the refusal must not print the key ({label})"


def test_debug_on_keeps_accepting_the_development_key() -> None:
    assert _settings("DEBUG", DEBUG="1") == {"DEBUG": True}


def test_a_nul_character_in_a_query_parameter_is_refused_or_dropped_not_a_500(client: Any, db: None) -> None:
    # PostgreSQL refuses NUL in text: a filter passing it on would fail. The
    # API says which parameter is malformed; a page drops the value.
    for url in (
        "/api/v1/tracker/?assembly=a%00b",
        "/api/v1/assemblies/?assembly=%00",
        "/api/v1/recommendations/?assembly=x%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "assembly" in response.json()["detail"], url
    assert client.get("/?q=%00").status_code == 200
