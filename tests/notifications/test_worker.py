"""An email through a real Celery worker and Redis (CI; skipped on a laptop)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from config.celery import app as celery_app
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import queue_email
from notifications.tasks import send_outbox_message

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30


def _database_url() -> str:
    """The pytest database (test_…), which the worker must use too."""
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(monkeypatch: Any) -> str:
    """A queue of this test's own, so that no other worker on the same Redis
    (another test run, a developer's worker) takes the task."""
    name = f"test-outbox-{uuid.uuid4().hex[:8]}"
    # Restored by the autouse eager_celery fixture.
    celery_app.conf.task_always_eager = False
    # The task's cached options hold its queue; reset them around the change.
    monkeypatch.setattr(send_outbox_message, "_exec_options", None)
    monkeypatch.setattr(send_outbox_message, "queue", name, raising=False)
    return name


@pytest.fixture
def celery_worker(transactional_db: None, worker_queue: str, tmp_path: Path) -> Iterator[Path]:
    maillog = tmp_path / "delivered.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL": "0",
        "EMAIL_BACKEND": "notifications.testing.MessageIdLogBackend",
        "OUTBOX_TEST_MAILLOG": str(maillog),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            worker_queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield maillog
    # Stop it before pytest-django empties the tables it may hold connections to.
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    log.close()


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
def test_an_email_goes_out_through_a_real_worker(celery_worker: Path, tmp_path: Path) -> None:
    message = queue_email(
        to="ann@example.org",
        template="stage_changed",
        context={"assembly_title": "Alpha", "stage_label": "Deciding", "url": "https://example.org/"},
    )

    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status != OutboxStatus.QUEUED and message.status != OutboxStatus.SENDING:
            break
        time.sleep(0.2)

    worker_log = (tmp_path / "worker.log").read_text()
    assert message.status == OutboxStatus.SENT, worker_log[-3000:]
    assert message.attempts == 1
    assert celery_worker.read_text().split("\t")[0] == message.message_id
    assert OutboxMessage.objects.count() == 1
