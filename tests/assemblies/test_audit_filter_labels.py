"""The audit log's action filter lists actions by their labels, as the rows
show them; it listed the codes ("announcement.sent"), in every language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import escape

from assemblies.audit import audit_record
from assemblies.models import AuditEvent
from assemblies.registry import registry

pytestmark = pytest.mark.django_db

URL = "/admin/assemblies/auditevent/"


def test_action_filter_shows_labels_and_still_filters(
    organiser_client: Any, assembly: Any, organiser: Any, other_assembly: Any
) -> None:
    action = "deliberation.checked_in"
    label = str(registry.audit_action_labels[action])
    audit_record(action=action, by=organiser, assembly=assembly)
    audit_record(action="deliberation.expense_paid", by=organiser, assembly=assembly)
    audit_record(action="deliberation.member_withdrawn", by=None, assembly=other_assembly)

    body = organiser_client.get(URL).content.decode()
    sidebar = body.split('id="changelist-filter"', 1)[1]
    assert f'?action={action}">{escape(label)}</a>' in sidebar
    assert f">{action}<" not in sidebar
    # Another tenant's actions are not offered.
    assert "member_withdrawn" not in sidebar

    filtered = organiser_client.get(URL, {"action": action})
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].queryset.values_list("action", flat=True)) == [action]


def test_an_audit_event_shows_its_action_label(organiser_client: Any, assembly: Any, organiser: Any) -> None:
    audit_record(action="deliberation.checked_in", by=organiser, assembly=assembly)
    event = AuditEvent.objects.get(action="deliberation.checked_in")
    body = organiser_client.get(f"{URL}{event.pk}/change/").content.decode()
    assert "Member checked in" in body
    assert "deliberation.checked_in" not in body
