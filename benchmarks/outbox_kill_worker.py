"""Kill a Celery worker with SIGKILL in the middle of 1,000 emails; count what arrives.

The claim: the outbox loses nothing when a worker dies, and sends a message
twice only if it was in flight (status ``sending``) at the moment of the kill,
each copy with the same Message-ID so the receiving side can drop one.

What it does, against the real Redis and PostgreSQL:

1. creates (if missing) and migrates a dedicated database, ``plenary_killtest``
   by default, on the server of DATABASE_URL, and empties its outbox;
2. uses a dedicated Redis database (15 by default, on the server of REDIS_URL)
   and clears the queue keys there, so no other worker or test interferes;
3. starts ``celery -A config worker -c 2`` whose email backend
   (``notifications.testing.MessageIdLogBackend``) appends each delivered
   Message-ID to a file and takes a few milliseconds per email;
4. queues 1,000 emails in one transaction (published on commit);
5. once ~300 are delivered, SIGKILLs the worker's whole process group (the
   machine died: no warm shutdown, no acknowledgement, no rejection), and
   records which rows were ``sending`` at that instant;
6. starts a fresh worker, lets it drain the queue, then runs the beat job's
   logic (``requeue_stuck_messages``) with a short threshold, as beat would
   every minute, until every row is sent (bounded wait);
7. prints totals and asserts: nothing lost, duplicates ⊆ rows sending at the kill.

Messages the dead worker had taken from Redis but not acknowledged stay in
Redis's "unacked" set until the visibility timeout (an hour); the requeue job
is what recovers them here, as it would in production.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plenary \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python benchmarks/outbox_kill_worker.py [--count 1000] [--kill-after 300]
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_CELERY = ROOT / ".venv" / "bin" / "celery"
QUEUE = "default"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="emails to queue")
    parser.add_argument("--kill-after", type=int, default=300, help="kill once this many are delivered")
    parser.add_argument("--delay-ms", type=float, default=5, help="time the email backend takes per email")
    parser.add_argument("--stuck-after", type=int, default=5, help="OUTBOX_STUCK_AFTER_SECONDS for this run")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for every row to be sent")
    parser.add_argument("--database", default="plenary_killtest")
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("OUTBOX_KILLTEST_REDIS_DB", 15)))
    return parser.parse_args()


def fail(message: str) -> None:
    print(f"outbox_kill_worker: {message}", file=sys.stderr)
    raise SystemExit(2)


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def ensure_database(database_url: str, name: str) -> None:
    import psycopg

    admin_url = with_path(database_url, "/postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
            print(f"created database {name}")


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    celery = str(VENV_CELERY) if VENV_CELERY.exists() else "celery"
    log = log_path.open("ab")
    # A session of its own, so that SIGKILL reaches the prefork children too,
    # as when a machine or container dies.
    return subprocess.Popen(
        [celery, "-A", "config", "worker", "-c", "2", "--without-gossip", "--without-mingle",
         "-Q", QUEUE, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def delivered(maillog: Path) -> list[str]:
    if not maillog.exists():
        return []
    return [line.split("\t", 1)[0] for line in maillog.read_text().splitlines() if line]


def stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, sig)
    try:
        worker.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def main() -> int:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        fail("REDIS_URL is not set; this benchmark needs a real Redis (e.g. redis://127.0.0.1:6379/0).")
    if not database_url.startswith(("postgres://", "postgresql://")):
        fail("DATABASE_URL must point at PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/plenary).")

    ensure_database(database_url, args.database)
    workdir = Path(tempfile.mkdtemp(prefix="outbox-killtest-"))
    maillog = workdir / "delivered.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": with_path(database_url, f"/{args.database}"),
        "REDIS_URL": with_path(redis_url, f"/{args.redis_db}"),
        "EMAIL_BACKEND": "notifications.testing.MessageIdLogBackend",
        "OUTBOX_TEST_MAILLOG": str(maillog),
        "OUTBOX_TEST_SEND_DELAY_MS": str(args.delay_ms),
        "OUTBOX_STUCK_AFTER_SECONDS": str(args.stuck_after),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from redis import Redis

    from notifications.models import OutboxMessage, OutboxStatus
    from notifications.services import queue_prerendered_email
    from notifications.tasks import requeue_stuck_messages

    call_command("migrate", verbosity=0)
    OutboxMessage.objects.all().delete()
    broker = Redis.from_url(env["REDIS_URL"])
    broker.delete(QUEUE, "unacked", "unacked_index")
    print(f"database {args.database}, redis db {args.redis_db}, work files in {workdir}")

    workers = [start_worker(env, workdir / "worker-1.log")]
    try:
        started = time.monotonic()
        with transaction.atomic():
            for i in range(args.count):
                queue_prerendered_email(
                    to=f"person{i}@example.org",
                    subject=f"Kill test {i}",
                    text=f"Message {i} of the worker-kill benchmark.",
                )
        print(f"queued {args.count} emails in {time.monotonic() - started:.1f}s")

        deadline = time.monotonic() + args.timeout
        # Poll tightly (stat, then count only when the file grew), so that the
        # kill can land between "delivered" and "recorded as sent".
        size = 0
        while True:
            new_size = maillog.stat().st_size if maillog.exists() else 0
            if new_size != size:
                size = new_size
                if len(delivered(maillog)) >= args.kill_after:
                    break
            if time.monotonic() > deadline or workers[0].poll() is not None:
                fail(f"the first worker did not deliver {args.kill_after} emails; see {workdir}/worker-1.log")
            time.sleep(0.0005)
        stop(workers[0], signal.SIGKILL)
        at_kill = len(delivered(maillog))
        # A COMMIT the server already received still completes; let it land
        # before taking the snapshot, so "sending" means really in flight.
        time.sleep(0.5)
        status_at_kill = collections.Counter(OutboxMessage.objects.values_list("status", flat=True))
        sending_at_kill = set(
            OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list("pk", flat=True)
        )
        print(f"SIGKILL after {at_kill} deliveries; rows then: {dict(sorted(status_at_kill.items()))}")
        print(f"  in flight (sending) at the kill: {sorted(sending_at_kill)}")
        print(f"  tasks left in Redis: {broker.llen(QUEUE)} queued, {broker.hlen('unacked')} unacknowledged")

        workers.append(start_worker(env, workdir / "worker-2.log"))
        requeues: list[dict[str, Any]] = []
        last_sent, last_progress = -1, time.monotonic()
        while True:
            sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
            if sent == args.count:
                break
            if time.monotonic() > deadline:
                print(f"TIMEOUT: {sent} of {args.count} sent", file=sys.stderr)
                break
            if sent != last_sent:
                last_sent, last_progress = sent, time.monotonic()
            # Once the fresh worker has drained the queue and stalled, do what
            # beat does every minute.
            if broker.llen(QUEUE) == 0 and time.monotonic() - last_progress > 1:
                result = requeue_stuck_messages.run(
                    queued_after=args.stuck_after, sending_after=args.stuck_after
                )
                if result["sending"] or result["queued"]:
                    requeues.append(result)
                    print(f"  requeue job: {result} (after {sent} sent)")
                    last_progress = time.monotonic()
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        for worker in workers:
            stop(worker)

    rows = dict(OutboxMessage.objects.values_list("message_id", "pk"))
    final = collections.Counter(OutboxMessage.objects.values_list("status", flat=True))
    ids = delivered(maillog)
    counts = collections.Counter(ids)
    duplicates = {mid: n for mid, n in counts.items() if n > 1}
    duplicate_rows = {rows[mid] for mid in duplicates}
    lost = sorted(pk for mid, pk in rows.items() if mid not in counts)
    strangers = [mid for mid in counts if mid not in rows]

    print()
    print(f"rows in the outbox:        {len(rows)} ({dict(sorted(final.items()))})")
    print(f"deliveries (Message-IDs):  {len(ids)}")
    print(f"unique Message-IDs:        {len(counts)}")
    print(f"duplicates:                {sum(n - 1 for n in duplicates.values())} extra copies of "
          f"{len(duplicates)} messages: rows {sorted(duplicate_rows)}")  # fmt: skip
    print(f"  of which in flight at the kill: {sorted(duplicate_rows & sending_at_kill)}")
    print(f"lost:                      {len(lost)} {lost[:20]}")
    print(f"requeue runs that found work: {len(requeues)}")
    print(f"elapsed: {elapsed:.1f}s")

    assert not strangers, f"delivered Message-IDs that match no row: {strangers[:5]}"
    assert not lost, f"lost messages: {lost[:20]}"
    assert final[OutboxStatus.SENT] == args.count, f"not all rows sent: {dict(final)}"
    assert duplicate_rows <= sending_at_kill, (
        f"duplicates outside the in-flight rows: {sorted(duplicate_rows - sending_at_kill)}"
    )
    broker.delete(QUEUE, "unacked", "unacked_index")
    print("OK: nothing lost; every duplicate was in flight at the kill and carries one Message-ID.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
