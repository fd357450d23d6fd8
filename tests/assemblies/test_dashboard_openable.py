"""The dashboard links only to what its viewer may open: a facilitator (who
may see the dashboard and attendance) was offered the expenses screen and the
table attributes screen and got a 403; a draft assembly's dashboard linked to
its public page, which is a 404 until the assembly is public."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import Role, Stage
from tests.factories import SessionFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')


@pytest.fixture
def facilitator(tenant: Any) -> Any:
    user = UserFactory(username="alpha-facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=Role.FACILITATOR)
    return user


def _dashboard(client: Any, assembly: Any) -> str:
    response = client.get(reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_facilitator_is_not_offered_the_expenses_screen(client: Any, assembly: Any, facilitator: Any) -> None:
    SessionFactory(assembly=assembly)  # the attendance section appears with a session
    expenses = reverse("admin:deliberation_attendance_expenses", args=[assembly.pk])
    client.force_login(facilitator)
    body = _dashboard(client, assembly)
    assert reverse("admin:deliberation_attendance_overview", args=[assembly.pk]) in body
    assert expenses not in body
    assert client.get(expenses).status_code == 403


def test_organiser_still_sees_the_expenses_screen(organiser_client: Any, assembly: Any) -> None:
    SessionFactory(assembly=assembly)
    body = _dashboard(organiser_client, assembly)
    assert reverse("admin:deliberation_attendance_expenses", args=[assembly.pk]) in body


def test_every_link_a_facilitator_sees_on_the_dashboard_opens(
    client: Any, assembly: Any, facilitator: Any
) -> None:
    SessionFactory(assembly=assembly)
    client.force_login(facilitator)
    body = _dashboard(client, assembly)
    refused = []
    for url in sorted(set(HREF.findall(body.replace("&amp;", "&")))):
        if "logout" in url or "setlang" in url:
            continue
        status = client.get(url).status_code
        if status in (403, 404):
            refused.append((url, status))
    assert refused == []


def test_table_plans_hide_the_attributes_screen_from_a_facilitator(
    client: Any, organiser_client: Any, assembly: Any, facilitator: Any
) -> None:
    plans = reverse("admin:deliberation_tables_assembly", args=[assembly.pk])
    attributes = reverse("admin:deliberation_tables_attributes", args=[assembly.pk])
    assert attributes in organiser_client.get(plans).content.decode()
    client.force_login(facilitator)
    response = client.get(plans)
    assert response.status_code == 200
    assert attributes not in response.content.decode()


def test_a_draft_assembly_has_no_public_page_link(organiser_client: Any, assembly: Any) -> None:
    public = assembly.get_absolute_url()
    assert f'href="{public}"' in _dashboard(organiser_client, assembly)
    assembly.stage = Stage.DRAFT
    assembly.save(update_fields=["stage"])
    assert organiser_client.get(public).status_code == 404
    body = _dashboard(organiser_client, assembly)
    assert f'href="{public}"' not in body
    assert "No public page yet" in body
