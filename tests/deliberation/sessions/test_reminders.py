"""Reminders a week and a day before, each sent once, in each member's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from deliberation.models import Session, SessionStatus
from deliberation.sessions import services
from deliberation.sessions.tasks import send_session_reminders
from notifications.models import OutboxMessage
from tests.factories import MemberFactory, RespondentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _session(tenant: Any, days: float, **extra: Any) -> Session:
    start = timezone.now() + dt.timedelta(days=days)
    return SessionFactory(
        assembly=tenant.assembly, starts_at=start, ends_at=start + dt.timedelta(hours=6), **extra
    )


def test_week_reminder_goes_once(tenant: Any) -> None:
    session = _session(tenant, 6.5)
    MemberFactory(assembly=tenant.assembly)
    assert send_session_reminders() == 2
    assert send_session_reminders() == 0  # the beat's next run sends nothing again
    messages = OutboxMessage.objects.filter(template="session_reminder")
    assert messages.count() == 2
    assert messages.first().subject.startswith("In a week")
    session.refresh_from_db()
    assert session.week_reminder_sent_at is not None and session.day_reminder_sent_at is None


def test_day_reminder_and_no_week_reminder_so_late(tenant: Any) -> None:
    session = _session(tenant, 0.5)
    assert services.send_due_reminders() == 1
    message = OutboxMessage.objects.get(template="session_reminder")
    assert message.subject.startswith("Tomorrow")
    session.refresh_from_db()
    assert session.week_reminder_sent_at is not None and session.day_reminder_sent_at is not None
    assert services.send_due_reminders() == 0


def test_nothing_for_far_cancelled_or_past_sessions(tenant: Any) -> None:
    _session(tenant, 20)
    _session(tenant, 3, status=SessionStatus.CANCELLED)
    _session(tenant, -1)
    assert services.send_due_reminders() == 0
    assert not OutboxMessage.objects.exists()


def test_a_second_worker_that_lost_the_claim_sends_nothing(tenant: Any) -> None:
    session = _session(tenant, 3)
    now = timezone.now()
    assert services._send_reminder(session.pk, "week", now) == 1
    assert services._send_reminder(session.pk, "week", now) == 0  # same row, already claimed
    assert OutboxMessage.objects.filter(template="session_reminder").count() == 1


def test_reminder_in_the_members_language(tenant: Any, membership: Any) -> None:
    tenant.assembly.languages = ["en", "fr"]
    tenant.assembly.save()
    RespondentFactory(assembly=tenant.assembly, member=membership, language="fr")
    _session(tenant, 3)
    services.send_due_reminders()
    message = OutboxMessage.objects.get(template="session_reminder")
    assert message.language == "fr"


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once() -> None:
    """Two beat runs in parallel (PostgreSQL, real transactions): one email per member."""
    import threading

    from django.db import connection

    from tests.personas import make_tenant

    tenant = make_tenant("gamma")
    for _ in range(3):
        MemberFactory(assembly=tenant.assembly)
    _session(tenant, 3)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(services.send_due_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 4]
    assert OutboxMessage.objects.filter(template="session_reminder").count() == 4
