from __future__ import annotations

from typing import Any

import pytest

from notifications.models import OutboxMessage
from notifications.services import queue_prerendered_email

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/outboxmessage/"


def test_organisers_see_only_their_assemblies_emails(
    organiser_client: Any, assembly: Any, other_assembly: Any
) -> None:
    ours = queue_prerendered_email(to="ours@example.org", subject="Ours", text="x", assembly=assembly)
    theirs = queue_prerendered_email(
        to="theirs@example.org", subject="Theirs", text="x", assembly=other_assembly
    )
    login_code = queue_prerendered_email(to="code@example.org", subject="Login code", text="123456")

    response = organiser_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ours@example.org" in page
    assert "theirs@example.org" not in page
    assert "code@example.org" not in page

    assert organiser_client.get(f"{CHANGELIST}{ours.pk}/change/").status_code == 200
    assert organiser_client.get(f"{CHANGELIST}{theirs.pk}/change/").status_code == 404
    assert organiser_client.get(f"{CHANGELIST}{login_code.pk}/change/").status_code == 404


def test_the_outbox_is_read_only(organiser_client: Any, assembly: Any) -> None:
    message = queue_prerendered_email(to="ours@example.org", subject="Ours", text="x", assembly=assembly)
    response = organiser_client.post(
        f"{CHANGELIST}{message.pk}/change/", {"recipient": "changed@example.org"}
    )
    assert response.status_code == 403
    assert organiser_client.get(f"{CHANGELIST}add/").status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).recipient == "ours@example.org"
