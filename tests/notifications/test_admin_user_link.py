"""An outbox message names its user as text: the admin's link to the user's
page led organisers to a 404 (only superusers have the user admin)."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.services import queue_prerendered_email

pytestmark = pytest.mark.django_db


def test_outbox_message_shows_its_user_without_a_dead_link(
    organiser_client: Any, assembly: Any, member: Any
) -> None:
    message = queue_prerendered_email(
        to=member.email, subject="Hello", text="x", assembly=assembly, user=member
    )
    page = organiser_client.get(f"/admin/notifications/outboxmessage/{message.pk}/change/").content.decode()
    assert str(member) in page
    assert f"/admin/auth/user/{member.pk}/change/" not in page
    assert organiser_client.get(f"/admin/auth/user/{member.pk}/change/").status_code == 404
