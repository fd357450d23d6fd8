"""The laptop demo's mailbox: read the emails "sent" without a mail server.

Every email of every user is shown to anyone, so it exists only when
PLENARY_DEMO_MAILBOX (which requires DEBUG) is on; each view checks again,
so mounting the URLs by mistake exposes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from notifications.models import OutboxMessage

MAILBOX_SIZE = 100


def _require_demo_mailbox() -> None:
    if not (settings.DEBUG and settings.PLENARY_DEMO_MAILBOX):
        raise Http404


def mailbox(request: HttpRequest) -> HttpResponse:
    _require_demo_mailbox()
    emails = (
        OutboxMessage.objects.sent()
        .order_by("-sent_at", "-id")
        .only("pk", "recipient", "subject", "sent_at", "body_text")[:MAILBOX_SIZE]
    )
    return render(request, "notifications/mailbox.html", {"emails": emails, "limit": MAILBOX_SIZE})


def mailbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_demo_mailbox()
    email = get_object_or_404(OutboxMessage.objects.sent(), pk=pk)
    return render(request, "notifications/mailbox_detail.html", {"email": email})
