from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.utils import timezone

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import queue_prerendered_email
from notifications.tasks import (
    TemporaryEmailError,
    describe_error,
    is_temporary,
    requeue_stuck_messages,
    send_outbox_message,
)

pytestmark = pytest.mark.django_db


def queued(**fields: Any) -> OutboxMessage:
    message = queue_prerendered_email(to="ann@example.org", subject="Your code", text="Code: 123456")
    if fields:
        OutboxMessage.objects.filter(pk=message.pk).update(**fields)
        message.refresh_from_db()
    return message


def test_sends_once_and_a_duplicate_delivery_sends_nothing(mailoutbox: list[Any]) -> None:
    message = queued()
    assert send_outbox_message.delay(message.pk).get() == "sent"
    assert send_outbox_message.delay(message.pk).get() == "skipped"
    assert send_outbox_message.delay(message.pk).get() == "skipped"

    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_message_another_worker_is_sending_is_left_alone(mailoutbox: list[Any]) -> None:
    message = queued(status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(seconds=5))
    assert send_outbox_message.delay(message.pk).get() == "skipped"
    assert mailoutbox == []


def test_a_message_whose_worker_died_is_taken_over(mailoutbox: list[Any], settings: Any) -> None:
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1)
    message = queued(status=OutboxStatus.SENDING, claimed_at=stale, attempts=1)
    assert send_outbox_message.delay(message.pk).get() == "sent"
    [email] = mailoutbox
    # The repeat carries the first attempt's Message-ID, so it can be de-duplicated.
    assert email.extra_headers["Message-ID"] == message.message_id


def test_a_deleted_message_is_skipped(mailoutbox: list[Any]) -> None:
    assert send_outbox_message.delay(987654).get() == "skipped"


def test_temporary_failure_is_retried_with_backoff_then_sent(flaky_backend: Any) -> None:
    flaky_backend.errors = [smtplib.SMTPResponseException(451, b"4.7.1 Try again later, <ann@example.org>")]
    message = queued()

    # Called as a worker would (not inline), the task asks Celery for a retry.
    with pytest.raises(TemporaryEmailError):
        send_outbox_message.run(message.pk)

    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert message.last_error.startswith("SMTPResponseException 451")
    assert "ann@example.org" not in message.last_error

    assert send_outbox_message.run(message.pk) == "sent"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""


def test_retry_goes_through_celery_with_a_countdown(flaky_backend: Any, monkeypatch: Any) -> None:
    flaky_backend.errors = [ConnectionResetError("connection reset")]
    message = queued()
    calls: list[dict[str, Any]] = []

    class Retrying(Exception):
        pass

    def fake_retry(**kwargs: Any) -> Exception:
        calls.append(kwargs)
        return Retrying()

    monkeypatch.setattr(send_outbox_message, "retry", fake_retry)
    with pytest.raises(Retrying):
        send_outbox_message.run(message.pk)
    [call] = calls
    message.refresh_from_db()
    assert 1 <= call["countdown"] <= 30
    assert abs((message.next_attempt_at - timezone.now()).total_seconds() - call["countdown"]) < 5


def test_inline_temporary_failure_waits_for_the_requeue_job(flaky_backend: Any) -> None:
    # Eager mode (no broker) must not retry at once inside the user's request.
    flaky_backend.errors = [TimeoutError("timed out")]
    message = queued()
    assert send_outbox_message.delay(message.pk).get() == "retry-later"
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED


def test_permanent_failure_marks_failed_without_retry(flaky_backend: Any) -> None:
    flaky_backend.errors = [
        smtplib.SMTPRecipientsRefused({"ann@example.org": (550, b"5.1.1 <ann@example.org> unknown")})
    ]
    message = queued()
    assert send_outbox_message.run(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error.startswith("SMTPRecipientsRefused")
    assert "ann@example.org" not in message.last_error
    # A failed message stays failed.
    assert send_outbox_message.run(message.pk) == "skipped"


def test_gives_up_after_the_maximum_attempts(flaky_backend: Any, settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2
    flaky_backend.errors = [TimeoutError("timed out"), TimeoutError("timed out")]
    message = queued()
    with pytest.raises(TemporaryEmailError):
        send_outbox_message.run(message.pk)
    assert send_outbox_message.run(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)


def test_a_message_that_keeps_killing_workers_is_given_up(mailoutbox: list[Any], settings: Any) -> None:
    message = queued(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    assert send_outbox_message.run(message.pk) == "skipped"
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("exc", "temporary"),
    [
        (smtplib.SMTPResponseException(421, b"busy"), True),
        (smtplib.SMTPResponseException(554, b"rejected"), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (450, b"later")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no")}), False),
        (smtplib.SMTPSenderRefused(553, b"no", "noreply@x"), False),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (AnymailAPIError("server error", status_code=503), True),
        (AnymailAPIError("slow down", status_code=429), True),
        (AnymailAPIError("bad request", status_code=400), False),
        (AnymailRecipientsRefused("invalid"), False),
        (ValueError("a bug"), False),
    ],
)
def test_error_classification(exc: BaseException, temporary: bool) -> None:
    assert is_temporary(exc) is temporary


def test_describe_error_keeps_no_address() -> None:
    text = describe_error(smtplib.SMTPResponseException(550, b"5.1.1 <bob.smith+x@mail.example.org>: no"))
    assert text.startswith("SMTPResponseException 550")
    assert "bob" not in text


def test_requeue_picks_stuck_and_stale_rows_only(
    mailoutbox: list[Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    long_ago = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 10)
    stuck = queued(status=OutboxStatus.SENDING, claimed_at=long_ago, attempts=1)
    in_flight = queued(status=OutboxStatus.SENDING, claimed_at=now - timedelta(seconds=2), attempts=1)
    lost = queued(next_attempt_at=now - timedelta(minutes=5))
    fresh = queued()
    retry_later = queued(next_attempt_at=now + timedelta(minutes=5))
    done = queued(status=OutboxStatus.SENT, sent_at=now)

    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stuck_messages.delay().get()

    assert result == {"sending": 1, "queued": 1}
    status = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert status[stuck.pk] == status[lost.pk] == OutboxStatus.SENT
    assert status[in_flight.pk] == OutboxStatus.SENDING
    assert status[fresh.pk] == status[retry_later.pk] == OutboxStatus.QUEUED
    assert status[done.pk] == OutboxStatus.SENT
    assert sorted(e.extra_headers["Message-ID"] for e in mailoutbox) == sorted(
        [stuck.message_id, lost.message_id]
    )


def test_requeue_twice_publishes_a_stale_row_once_per_grace_period(
    django_capture_on_commit_callbacks: Any,
) -> None:
    queued(next_attempt_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks() as first:
        requeue_stuck_messages.run()
    with django_capture_on_commit_callbacks() as second:
        requeue_stuck_messages.run()
    assert (len(first), len(second)) == (1, 0)
