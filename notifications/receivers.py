"""Provider webhooks, through django-anymail's normalised tracking events.

The webhook URL itself (``anymail.urls``) is mounted by the project's URLconf.
"""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.dispatch import receiver

from notifications.services import mark_bounced

BOUNCE_EVENTS = frozenset({EventType.BOUNCED, EventType.REJECTED})


@receiver(tracking, dispatch_uid="notifications.outbox_bounces")
def record_bounce(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    if event.event_type not in BOUNCE_EVENTS:
        return
    outbox_id = (event.metadata or {}).get("outbox_id")
    # The reason is anymail's normalised RejectReason ("bounced", "invalid",
    # "spam"...); the description and MTA response may quote the address.
    reason = f"{esp_name} {event.event_type}: {event.reject_reason or 'unknown'}"
    mark_bounced(
        event.message_id or "",
        outbox_id=int(outbox_id) if outbox_id and str(outbox_id).isdigit() else None,
        reason=reason,
    )
