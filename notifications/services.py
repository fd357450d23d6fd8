"""Writing to the outbox.

Callers queue an email inside their own transaction; the send task is
published only after that transaction commits, so a rolled-back request sends
nothing and a committed one always leaves a row that some task (or, failing
that, the requeue job) will send.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation

from notifications.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

TEMPLATE_ROOT = "notifications"


def queue_email(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    language: str = "en",
    assembly: Any = None,
    user: Any = None,
) -> OutboxMessage:
    """Render ``templates/notifications/<template>/`` in ``language`` and queue it for ``to``.

    Rendering happens now, in the caller's request, so that template errors
    surface where they are made and every delivery attempt sends the same
    bytes. ``context`` must be JSON-serialisable (dates and lazy translations
    are accepted); lazy translations such as ``Stage.DELIBERATING.label``
    render in the recipient's language.
    """
    validate_email(to)
    message = OutboxMessage(
        recipient=to,
        language=_supported_language(language),
        template=template,
        context=dict(context),
        assembly=assembly,
        user=user,
    )
    render_message(message, context)
    message.save()
    _enqueue_on_commit(message.pk)
    return message


def queue_prerendered_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    language: str = "en",
    template: str = "",
    assembly: Any = None,
    user: Any = None,
) -> OutboxMessage:
    """Queue an email whose content someone else rendered (allauth's login codes).

    ``template`` only labels the row (e.g. ``account/email/login_code``).
    """
    validate_email(to)
    message = OutboxMessage.objects.create(
        recipient=to,
        language=_supported_language(language),
        template=template,
        subject=_one_line(subject),
        body_text=text,
        body_html=html,
        assembly=assembly,
        user=user,
    )
    _enqueue_on_commit(message.pk)
    return message


def render_message(message: OutboxMessage, context: Mapping[str, Any] | None = None) -> None:
    """Fill ``subject``, ``body_text`` and ``body_html`` from the row's template.

    ``subject.txt`` and ``body.txt`` render without HTML escaping (they are
    plain text); ``body.html`` escapes as usual. ``body.html`` is optional.
    Does not save.
    """
    engine = Engine.get_default()
    values = {
        "site_url": settings.SITE_URL.rstrip("/"),
        "recipient": message.recipient,
        **(message.context if context is None else context),
    }
    prefix = f"{TEMPLATE_ROOT}/{message.template}"
    with translation.override(message.language):
        subject = engine.get_template(f"{prefix}/subject.txt").render(Context(values, autoescape=False))
        text = engine.get_template(f"{prefix}/body.txt").render(Context(values, autoescape=False))
        html = ""
        try:
            html_template = engine.get_template(f"{prefix}/body.html")
        except TemplateDoesNotExist:
            pass
        else:
            html = html_template.render(Context(values, autoescape=True))
    message.subject = _one_line(subject)
    message.body_text = text.strip() + "\n"
    message.body_html = html


def mark_bounced(message_id: str = "", *, outbox_id: int | None = None, reason: str = "bounced") -> int:
    """Record a provider's bounce or rejection; returns the number of rows changed.

    ``message_id`` may be our RFC 5322 Message-ID (with or without angle
    brackets) or the provider's own id, which providers report in webhooks;
    ``outbox_id`` is the row id some providers echo back from our metadata.
    ``reason`` must not hold personal data (use the event type).
    """
    match = Q(pk=outbox_id) if outbox_id is not None else Q(pk__in=[])
    bare = message_id.strip().strip("<>")
    if bare:
        candidates = {bare, f"<{bare}>"}
        match |= Q(message_id__in=candidates) | Q(provider_message_id__in=candidates)
    return OutboxMessage.objects.filter(match).update(status=OutboxStatus.BOUNCED, last_error=reason[:200])


def requeue(message: OutboxMessage) -> None:
    """Put a failed or stuck message back in the queue (an organiser's "retry")."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.QUEUED, next_attempt_at=timezone.now(), attempts=0, last_error=""
    )
    _enqueue_on_commit(message.pk)


def _enqueue_on_commit(pk: int) -> None:
    # robust=True: once the caller's transaction has committed, a broker outage
    # must not turn the request into an error. The row stays queued and the
    # requeue job publishes it again. A named function rather than a partial,
    # because Django's logging of a failed robust callback reads __qualname__.
    def publish_outbox_message() -> None:
        from notifications.tasks import send_outbox_message

        send_outbox_message.delay(pk)

    transaction.on_commit(publish_outbox_message, robust=True)


def _supported_language(language: str) -> str:
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


_WHITESPACE = re.compile(r"\s+")


def _one_line(subject: str) -> str:
    # A newline in a subject is a header injection; Django would refuse to send it.
    return _WHITESPACE.sub(" ", subject).strip()
