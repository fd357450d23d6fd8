"""Organisers plan sessions and their agenda in the admin: times shown per
item, the agenda's length checked, items moved, changes told once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from deliberation.models import AgendaItem, Session
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _form(
    assembly: Any, items: list[dict[str, Any]], session: Session | None = None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Weekend two",
        "status": "planned",
        "is_public": "on",
        "starts_at_0": "2030-07-06",
        "starts_at_1": "10:00",
        "ends_at_0": "2030-07-06",
        "ends_at_1": "12:00",
        "mode": "in_person",
        "venue_name": "Town Hall",
        "venue_address": "1 Market Square",
        "access_info": "",
        "online_url": "",
        "notes_for_members": "",
        "title_translations": "{}",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(sum(1 for i in items if i.get("id"))),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **extra,
    }
    if session is None:
        data["assembly"] = assembly.pk
    for n, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{n}-{key}"] = value
        if session is not None:
            data[f"items-{n}-session"] = session.pk
    return data


def test_organiser_plans_a_session_with_two_items(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    items = [
        {"position": "1", "kind": "talk", "title": "Energy at home", "minutes": "45"},
        {"position": "2", "kind": "tables", "title": "Table talk", "minutes": "60"},
    ]
    response = client.post(
        reverse("admin:deliberation_session_add"), _form(tenant.assembly, items), follow=True
    )
    assert response.status_code == 200
    session = Session.objects.get(title="Weekend two")
    assert list(session.items.values_list("title", "position")) == [("Energy at home", 1), ("Table talk", 2)]
    page = client.get(reverse("admin:deliberation_session_change", args=[session.pk])).content.decode()
    assert "10:00–10:45" in page and "10:45–11:45" in page and "105 of 120 minutes planned" in page


def test_an_agenda_that_runs_over_is_flagged(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    items = [
        {"position": "1", "kind": "talk", "title": "Long talk", "minutes": "90"},
        {"position": "2", "kind": "qa", "title": "Questions", "minutes": "60"},
    ]
    response = client.post(
        reverse("admin:deliberation_session_add"), _form(tenant.assembly, items), follow=True
    )
    page = response.content.decode()
    assert "runs 30 minutes over" in page
    session = Session.objects.get(title="Weekend two")
    page = client.get(reverse("admin:deliberation_session_change", args=[session.pk])).content.decode()
    assert "runs 30 minutes over" in page and "over time" in page


def test_bad_input_is_named_and_nothing_saved(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    data = _form(tenant.assembly, [], ends_at_1="09:00", mode="online")
    response = client.post(reverse("admin:deliberation_session_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The session must end after it starts." in page
    assert "An online or hybrid session needs a link to join." in page
    assert not Session.objects.exists()


def test_changing_time_and_place_in_the_admin_tells_members_once(
    client: Any, tenant: Any, session: Any
) -> None:
    client.force_login(tenant.organiser)
    items = [
        {
            "id": str(i.pk),
            "position": str(i.position),
            "kind": i.kind,
            "title": i.title,
            "minutes": str(i.minutes),
        }
        for i in session.items.order_by("position")
    ]
    data = _form(
        tenant.assembly,
        items,
        session=session,
        title="Weekend one",
        starts_at_0="2030-06-08",
        starts_at_1="11:00",
        ends_at_0="2030-06-08",
        ends_at_1="17:00",
        venue_name="Library",
        venue_address="2 Church Street",
    )
    response = client.post(reverse("admin:deliberation_session_change", args=[session.pk]), data, follow=True)
    assert "told of the new time or place" in response.content.decode()
    assert OutboxMessage.objects.filter(template="session_changed").count() == 1  # one member, one email


def test_move_buttons_reorder(client: Any, tenant: Any, session: Any) -> None:
    client.force_login(tenant.organiser)
    second = session.items.get(title="Buses and trams")
    response = client.post(reverse("admin:deliberation_agendaitem_up", args=[second.pk]))
    assert response.status_code == 302
    assert list(session.items.order_by("position").values_list("title", flat=True)) == [
        "Buses and trams",
        "Welcome",
    ]
    response = client.post(reverse("admin:deliberation_agendaitem_up", args=[second.pk]), follow=True)
    assert "already first" in response.content.decode()


def test_other_tenant_gets_404(client: Any, other_tenant: Any, session: Any) -> None:
    client.force_login(other_tenant.organiser)
    item = session.items.first()
    assert client.get(reverse("admin:deliberation_session_change", args=[session.pk])).status_code == 404
    assert client.post(reverse("admin:deliberation_agendaitem_up", args=[item.pk])).status_code == 404
    assert client.get(reverse("admin:deliberation_agendaitem_change", args=[item.pk])).status_code == 404
    listing = client.get(reverse("admin:deliberation_session_changelist")).content.decode()
    assert "Weekend one" not in listing


def test_facilitator_may_not_plan(client: Any, facilitator: Any, session: Any) -> None:
    client.force_login(facilitator)
    item = session.items.last()
    assert client.post(reverse("admin:deliberation_agendaitem_up", args=[item.pk])).status_code in (403, 404)
    assert AgendaItem.objects.get(pk=item.pk).position == 2


def test_dashboard_has_the_sessions_link(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    page = client.get(
        reverse("admin:assemblies_assembly_dashboard", args=[tenant.assembly.pk])
    ).content.decode()
    assert "Sessions and agenda" in page
