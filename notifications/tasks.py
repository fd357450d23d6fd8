"""Sending the outbox.

Delivery is at least once, and never twice for a message whose sending was
recorded. ``send_outbox_message`` claims its row with ``SELECT ... FOR UPDATE``
in a short transaction, sends outside any transaction, then records the
result. A redelivered task finds the row sent (or freshly claimed by another
worker) and does nothing. A worker killed between "sent by the backend" and
"recorded as sent" leaves the row in ``sending``; ``requeue_stuck_messages``
puts it back in the queue after ``OUTBOX_STUCK_AFTER_SECONDS``, and the repeat
carries the same Message-ID, so the receiving side can drop the duplicate.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta
from typing import Any

from anymail.exceptions import AnymailAPIError
from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications.models import FINAL_STATUSES, OutboxMessage, OutboxStatus
from notifications.services import render_message

logger = logging.getLogger(__name__)

RETRY_BACKOFF_FACTOR = 30  # seconds: 30, 60, 120, ... with full jitter
RETRY_BACKOFF_MAX = 60 * 60
REQUEUE_BATCH = 500


class TemporaryEmailError(Exception):
    """The provider or the network failed in a way worth retrying."""


def is_temporary(exc: BaseException) -> bool:
    """Whether a send failure may succeed later (4xx SMTP, network, provider 5xx/429)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        return False
    if isinstance(exc, AnymailAPIError):
        status = exc.status_code
        # No status: the request never got an answer (timeout, DNS, reset).
        return status is None or status >= 500 or status == 429
    # ConnectionError, TimeoutError, socket.gaierror: the network, not the message.
    return isinstance(exc, OSError)


_ADDRESS = re.compile(r"[^\s<>\"'@,;:]+@[^\s<>\"'@,;:]+")


def describe_error(exc: BaseException) -> str:
    """A short error description for ``last_error``, with email addresses removed.

    SMTP replies often echo the recipient ("5.1.1 <ann@example.org>: unknown"),
    and the outbox must not keep personal data beyond the recipient field.
    """
    code = getattr(exc, "smtp_code", None) or getattr(exc, "status_code", None)
    text = str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{c} {m!r}" for c, m in exc.recipients.values())
    text = _ADDRESS.sub("<address>", text)
    head = type(exc).__name__ + (f" {code}" if code else "")
    return f"{head}: {text}"[:500]


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the row for this worker, or None when it must not be sent now.

    Runs in its own short transaction so that the lock is released before
    the (slow) network call, and so that a concurrent duplicate task, blocked
    on the lock, then sees ``sending`` with a fresh ``claimed_at`` and stops.
    """
    now = timezone.now()
    stuck_before = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            logger.warning("outbox message %s does not exist (deleted or erased)", message_id)
            return None
        if message.status in FINAL_STATUSES:
            return None
        claimed_recently = message.claimed_at is not None and message.claimed_at > stuck_before
        if message.status == OutboxStatus.SENDING and claimed_recently:
            # Another worker has it right now.
            return None
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            # A message that keeps killing workers, or keeps timing out, stops here.
            message.status = OutboxStatus.FAILED
            message.last_error = (message.last_error + " (gave up after too many attempts)").strip()[:500]
            message.save(update_fields=["status", "last_error"])
            return None
        if message.template and not message.subject and not message.body_text:
            render_message(message)
        message.status = OutboxStatus.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts", "subject", "body_text", "body_html"])
    return message


def _build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    # django-anymail sends metadata to the provider, which echoes it in its
    # tracking webhooks: the surest way to find the row again on a bounce.
    # Only the row id, never personal data. Other backends ignore it.
    email.metadata = {"outbox_id": str(message.pk)}  # type: ignore[attr-defined]
    return email


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def send_outbox_message(self: Task, message_id: int) -> str:
    """Send one outbox row; safe to run any number of times. Returns what happened."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    email = _build_email(message)
    try:
        email.send()
    except Exception as exc:
        return _record_failure(self, message, exc)
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status is not None else None
    # Not conditional on status=sending: the email has left, whatever a
    # requeue did meanwhile. A bounce reported in the meantime wins, though.
    OutboxMessage.objects.filter(pk=message.pk).exclude(status=OutboxStatus.BOUNCED).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        provider_message_id=provider_id if isinstance(provider_id, str) else "",
    )
    return "sent"


def _record_failure(task: Task, message: OutboxMessage, exc: Exception) -> str:
    error = describe_error(exc)
    if not is_temporary(exc) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.warning("outbox message %s failed for good: %s", message.pk, error)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, last_error=error)
        return "failed"
    # Our own backoff rather than Celery's autoretry_for, so that the row's
    # next_attempt_at states when the retry is due (the requeue job relies on
    # it) and the row's attempts, not Celery's retry count, decide when to stop.
    countdown = get_exponential_backoff_interval(
        factor=RETRY_BACKOFF_FACTOR,
        retries=message.attempts - 1,
        maximum=RETRY_BACKOFF_MAX,
        full_jitter=True,
    )
    countdown = max(countdown, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.QUEUED,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=countdown),
    )
    logger.info("outbox message %s: temporary failure, retry in %ss: %s", message.pk, countdown, error)
    if task.request.is_eager:
        # Inline (no broker): Celery would retry at once, in the user's request,
        # ignoring the countdown. Leave the row queued for the requeue job.
        return "retry-later"
    raise task.retry(exc=TemporaryEmailError(error), countdown=countdown)


@shared_task(acks_late=True)
def requeue_stuck_messages(
    queued_after: float | None = None, sending_after: float | None = None
) -> dict[str, int]:
    """Publish again every row whose task seems lost. Run by beat every minute.

    - ``queued`` and due for more than ``queued_after`` seconds (default 60):
      its task never arrived (broker down at commit, task held by a dead
      worker, a retry lost).
    - ``sending`` for more than ``sending_after`` seconds (default
      OUTBOX_STUCK_AFTER_SECONDS): its worker died mid-send. It goes back to
      ``queued`` first, so the next task may claim it.

    Extra tasks are harmless (the claim skips rows already taken or sent).
    Bumping next_attempt_at stops one row being re-published every minute
    while a long backlog drains; the batch cap bounds the extra tasks.
    """
    now = timezone.now()
    if queued_after is None:
        queued_after = getattr(settings, "OUTBOX_QUEUED_GRACE_SECONDS", 60)
    if sending_after is None:
        sending_after = settings.OUTBOX_STUCK_AFTER_SECONDS
    with transaction.atomic():
        # skip_locked: rows a worker is claiming right now are not stuck, and
        # two beat runs overlapping must not both take the same rows.
        stuck_sending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.SENDING, claimed_at__lt=now - timedelta(seconds=sending_after))
            .order_by("claimed_at")
            .values_list("pk", flat=True)[:REQUEUE_BATCH]
        )
        stale_queued = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.QUEUED, next_attempt_at__lt=now - timedelta(seconds=queued_after))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:REQUEUE_BATCH]
        )
        OutboxMessage.objects.filter(pk__in=stuck_sending).update(
            status=OutboxStatus.QUEUED, next_attempt_at=now
        )
        OutboxMessage.objects.filter(pk__in=stale_queued).update(next_attempt_at=now)
        for pk in [*stuck_sending, *stale_queued]:
            transaction.on_commit(_publisher(pk), robust=True)
    if stuck_sending or stale_queued:
        logger.info(
            "outbox requeue: %d stuck in sending, %d stale in queued", len(stuck_sending), len(stale_queued)
        )
    return {"sending": len(stuck_sending), "queued": len(stale_queued)}


def _publisher(pk: int) -> Any:
    def publish_outbox_message() -> None:
        send_outbox_message.delay(pk)

    return publish_outbox_message
