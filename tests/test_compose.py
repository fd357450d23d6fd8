"""The compose stack, as far as it can be tested without a Docker engine: the
file declares the services it should, and the commands those services run
work here against the local PostgreSQL and Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_declares_the_full_stack_with_health_checks() -> None:
    services = _compose()["services"]

    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    # What the web, worker and beat commands do is tested by running them
    # (below and in tests/notifications/test_worker.py), not by reading them.
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "DATABASE_URL" in services[name]["environment"]
        assert "REDIS_URL" in services[name]["environment"]


def _service_command(name: str, port: int | None = None) -> list[str]:
    """The command a compose service runs, as this machine can run it: the
    last step of a ``sh -c "a && b"``, our virtualenv's executables, and a
    loopback port instead of 0.0.0.0:8000."""
    command = _compose()["services"][name]["command"]
    text = command if isinstance(command, str) else " ".join(command)
    if text.startswith("sh -c"):
        text = text.split('"', 1)[1].rsplit('"', 1)[0].split("&&")[-1]
    words = text.split()
    if port is not None:
        words = [f"127.0.0.1:{port}" if w.startswith("0.0.0.0:") else w for w in words]
    words[0] = str(BIN / words[0]) if (BIN / words[0]).exists() else words[0]
    return words


def _dockerfile_command() -> list[str]:
    import json

    line = next(ln for ln in (ROOT / "Dockerfile").read_text().splitlines() if ln.startswith("CMD "))
    return list(json.loads(line[len("CMD ") :]))


def test_the_image_and_the_web_service_serve_the_same_application() -> None:
    image, web = _dockerfile_command(), _service_command("web")
    assert image[:2] == [Path(web[0]).name, web[1]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DEBUG="0",
        SECRET_KEY="compose-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _scratch_postgres_url(name: str) -> str:
    """A fresh database on the PostgreSQL server the suite uses."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    with psycopg.connect(f"postgresql://{user}{password}@{host}:{port}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.mark.requires_postgres
@pytest.mark.requires_redis
def test_web_command_serves_pages_health_and_static_files(tmp_path: Path) -> None:
    env = _service_env(tmp_path)
    # The web service migrates, then serves: here on a scratch database.
    env["DATABASE_URL"] = _scratch_postgres_url("plenary_compose_test")
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = subprocess.run([sys.executable, "manage.py", *command], **run)  # type: ignore[call-overload]
        assert result.returncode == 0, result.stdout + result.stderr

    port = _free_port()
    server = subprocess.Popen(
        _service_command("web", port),  # exactly what the compose web service runs
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = urllib.request.urlopen(f"{base}/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(
                "gunicorn did not answer: " + server.stderr.read().decode()[-2000:] if server.stderr else ""
            )
        assert health.status == 200
        assert b'"redis": "ok"' in health.read()
        home = urllib.request.urlopen(f"{base}/", timeout=5)
        assert home.status == 200
        assert "Content-Security-Policy" in home.headers
        css_path = next(line for line in home.read().decode().splitlines() if "stylesheet" in line)
        css_url = css_path.split('href="')[1].split('"')[0]
        assert ".css" in css_url and css_url != "/static/css/plenary.css"  # hashed by the manifest storage
        css = urllib.request.urlopen(base + css_url, timeout=5)
        assert css.status == 200
        assert "max-age" in css.headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


@pytest.mark.requires_redis
def test_beat_command_starts_and_schedules(tmp_path: Path) -> None:
    env = _service_env(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'beat.sqlite3'}"
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    beat = subprocess.Popen(
        [*_service_command("beat"), "--max-interval", "1"],  # what the compose beat service runs
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # Wait for the schedule to fire (its interval jobs are due at start), not a fixed time.
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(ln.decode() for ln in beat.stdout or []), daemon=True
    )
    reader.start()
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and not any("Sending due task" in ln for ln in lines):
            assert beat.poll() is None, "beat exited early:\n" + "".join(lines)[-2000:]
            time.sleep(0.2)
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        try:
            beat.wait(timeout=20)
        except subprocess.TimeoutExpired:  # busy sending its due tasks on a loaded machine
            os.killpg(beat.pid, signal.SIGKILL)
            beat.wait(timeout=20)
        reader.join(timeout=5)
    output = "".join(lines)
    assert "Sending due task requeue-stuck-outbox-messages" in output, output[-2000:]
