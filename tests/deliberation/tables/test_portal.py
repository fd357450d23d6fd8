"""Portal pages: a member's table, a facilitator's tables and outputs, minutes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import Role
from deliberation.models import MinutesDecision, MinutesResponse, Seat, TableOutput, TablePlan
from deliberation.tables import services
from tests.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def portal(name: str, *args: Any) -> str:
    return reverse(f"portal:{name}", args=args)


@pytest.fixture
def assigned(computed: TablePlan, tenant: Any, facilitator: Any) -> TablePlan:
    services.table_update(
        plan=computed,
        number=1,
        name="Oak",
        facilitator_id=facilitator.pk,
        step_free=False,
        language="",
        by=tenant.organiser,
    )
    return computed


def test_a_member_sees_only_their_own_table_each_round(
    client: Any, computed: TablePlan, room: list[Any]
) -> None:
    me = room[0]
    client.force_login(me.user)
    body = client.get(portal("deliberation_my_tables", computed.session.assembly.slug)).content.decode()
    mine = Seat.objects.filter(plan=computed, member=me).select_related("table").order_by("round")
    for seat in mine:
        assert (
            f'Round {seat.round}:</strong> <span class="table-rounds__table">table {seat.table.number}</span>'
            in body
        )
    assert "Weekend one" in body
    # Nobody else's name, and no demographic answer.
    for other in room[1:]:
        assert other.display_name not in body
    assert "female" not in body and "16-34" not in body


def test_before_a_plan_the_member_is_told_it_is_to_come(client: Any, tenant: Any, room: list[Any]) -> None:
    client.force_login(room[0].user)
    body = client.get(portal("deliberation_my_tables", tenant.assembly.slug)).content.decode()
    assert "not planned yet" in body


def test_the_portal_links_to_your_table(client: Any, tenant: Any) -> None:
    client.force_login(tenant.member)
    body = client.get(portal("assembly", tenant.assembly.slug)).content.decode()
    assert portal("deliberation_my_tables", tenant.assembly.slug) in body


def test_facilitator_records_an_output_on_their_table(
    client: Any, assigned: TablePlan, tenant: Any, facilitator: Any
) -> None:
    table = assigned.tables.get(number=1)
    client.force_login(facilitator)
    listing = client.get(portal("deliberation_facilitate_tables", tenant.assembly.slug)).content.decode()
    assert "Table 1 · Oak" in listing and "to record" in listing
    page = portal("deliberation_facilitate_output", tenant.assembly.slug, table.pk, 2)
    form = client.get(page)
    assert form.status_code == 200 and "Key points" in form.content.decode()
    response = client.post(page, {"key_points": "Cheaper buses", "questions": "Who pays?", "proposals": ""})
    assert response.status_code == 302
    output = TableOutput.objects.get(table=table, round=2)
    assert (output.key_points, output.questions, output.recorded_by) == (
        "Cheaper buses",
        "Who pays?",
        facilitator,
    )
    # An empty output is refused with the field named, nothing changed.
    again = client.post(page, {"key_points": "", "questions": "", "proposals": ""})
    assert again.status_code == 400 and "Key points: write at least one thing" in again.content.decode()
    # Another table of the same plan is not theirs.
    other = assigned.tables.get(number=2)
    assert (
        client.get(portal("deliberation_facilitate_output", tenant.assembly.slug, other.pk, 1)).status_code
        == 404
    )
    # Round out of range.
    assert (
        client.get(portal("deliberation_facilitate_output", tenant.assembly.slug, table.pk, 9)).status_code
        == 404
    )


def test_organisers_see_recorded_outputs(
    client: Any, assigned: TablePlan, tenant: Any, facilitator: Any
) -> None:
    table = assigned.tables.get(number=1)
    services.table_output_save(
        table=table, round=1, key_points="Trams", questions="", proposals="", by=facilitator
    )
    client.force_login(tenant.organiser)
    body = client.get(reverse("admin:deliberation_tableplan_outputs", args=[assigned.pk])).content.decode()
    assert "Trams" in body and "Fay" in body


def test_a_facilitator_of_another_assembly_gets_404(
    client: Any, assigned: TablePlan, tenant: Any, other_tenant: Any
) -> None:
    stranger = UserFactory(username="beta-facilitator@example.org")
    TeamMembershipFactory(team=other_tenant.team, user=stranger, role=Role.FACILITATOR)
    table = assigned.tables.get(number=1)
    slug = tenant.assembly.slug
    for user in (stranger, other_tenant.organiser, tenant.member):
        client.force_login(user)
        assert client.get(portal("deliberation_facilitate_tables", slug)).status_code == 404
        assert client.get(portal("deliberation_facilitate_output", slug, table.pk, 1)).status_code == 404
        assert (
            client.post(
                portal("deliberation_facilitate_output", slug, table.pk, 1), {"key_points": "x"}
            ).status_code
            == 404
        )
    client.force_login(stranger)
    assert client.get(portal("deliberation_my_tables", slug)).status_code == 404
    assert not TableOutput.objects.exists()


def test_a_member_approves_or_asks_for_a_correction(
    client: Any, session: Any, tenant: Any, other_tenant: Any, room: list[Any]
) -> None:
    services.minutes_save(session=session, text="We heard three speakers.", by=tenant.organiser)
    minutes = services.minutes_circulate(session=session, by=tenant.organiser)
    me = room[0]
    client.force_login(me.user)
    listing = client.get(portal("deliberation_minutes", tenant.assembly.slug)).content.decode()
    assert "your answer is awaited" in listing
    page = portal("deliberation_minutes_detail", tenant.assembly.slug, minutes.pk)
    assert "We heard three speakers." in client.get(page).content.decode()
    refused = client.post(page, {"decision": "correct", "correction": ""})
    assert refused.status_code == 400 and "say what should change" in refused.content.decode()
    assert client.post(page, {"decision": "correct", "correction": "Four speakers."}).status_code == 302
    assert client.post(page, {"decision": "approve"}).status_code == 302
    response = MinutesResponse.objects.get(minutes=minutes, member=me)
    assert (response.decision, response.correction) == (MinutesDecision.APPROVE, "")
    # Another assembly's member cannot see them.
    client.force_login(other_tenant.member)
    assert client.get(page).status_code == 404


def test_draft_minutes_are_not_shown_to_members(client: Any, session: Any, tenant: Any) -> None:
    minutes = services.minutes_save(session=session, text="Draft", by=tenant.organiser)
    client.force_login(tenant.member)
    assert (
        client.get(portal("deliberation_minutes_detail", tenant.assembly.slug, minutes.pk)).status_code == 404
    )


def test_the_members_assembly_page_shows_their_table_for_the_coming_session(
    client: Any, computed: TablePlan, room: list[Any]
) -> None:
    me = room[0]
    client.force_login(me.user)
    body = client.get(portal("assembly", computed.session.assembly.slug)).content.decode()
    assert "Your table: Weekend one" in body
    first = Seat.objects.select_related("table").get(plan=computed, member=me, round=1)
    assert f"<strong>Round 1</strong><br>{first.table}" in body
