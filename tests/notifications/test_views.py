from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django.utils.html import escape

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import queue_prerendered_email

pytestmark = pytest.mark.django_db

MAILBOX = "/dev/mailbox/"


@pytest.fixture
def demo(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.notifications.urls"
    settings.DEBUG = True
    settings.PLENARY_DEMO_MAILBOX = True


def sent(to: str, subject: str, text: str) -> OutboxMessage:
    message = queue_prerendered_email(to=to, subject=subject, text=text)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
    return message


def test_mailbox_lists_sent_emails_newest_first(
    demo: None, client: Any, django_assert_num_queries: Any
) -> None:
    sent("ann@example.org", "Your login code", "Your code is 482913")
    sent("bob@example.org", "Assembly update", "Now deliberating")
    queue_prerendered_email(to="cat@example.org", subject="Still queued", text="not yet")

    with django_assert_num_queries(1):
        response = client.get(MAILBOX)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your code is 482913" in page
    assert "ann@example.org" in page
    assert "Still queued" not in page
    assert page.index("Assembly update") < page.index("Your login code")


def test_mailbox_detail_shows_the_whole_email(demo: None, client: Any) -> None:
    message = sent("ann@example.org", "Your login code", "Your code is 482913")
    response = client.get(f"{MAILBOX}{message.pk}/")
    assert response.status_code == 200
    assert "Your code is 482913" in response.content.decode()
    assert escape(message.message_id) in response.content.decode()


def test_mailbox_detail_of_an_unsent_email_is_404(demo: None, client: Any) -> None:
    message = queue_prerendered_email(to="ann@example.org", subject="Queued", text="x")
    assert client.get(f"{MAILBOX}{message.pk}/").status_code == 404


@pytest.mark.parametrize(("debug", "mailbox"), [(False, True), (True, False), (False, False)])
def test_mailbox_is_404_unless_demo_mode(
    demo: None, client: Any, settings: Any, debug: bool, mailbox: bool
) -> None:
    settings.DEBUG = debug
    settings.PLENARY_DEMO_MAILBOX = mailbox
    message = sent("ann@example.org", "Your login code", "Your code is 482913")
    assert client.get(MAILBOX).status_code == 404
    assert client.get(f"{MAILBOX}{message.pk}/").status_code == 404
