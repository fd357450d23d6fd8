"""The organisers' table screens: tenancy, permissions, what is shown to whom,
the plan computed from the screen, swaps, PDFs and minutes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assemblies.models import Role
from deliberation.models import MinutesStatus, PlanStatus, PlenaryMinutes, Seat, TablePlan
from deliberation.tables import services
from tests.factories import TeamMembershipFactory, UserFactory

from .helpers import make_room, make_session

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:{name}", args=args)


def test_dashboard_lists_sessions_and_creates_a_plan(
    client: Any, tenant: Any, room: list[Any], session: Any
) -> None:
    client.force_login(tenant.organiser)
    page = client.get(url("deliberation_tables_assembly", tenant.assembly.pk))
    assert page.status_code == 200
    assert "Weekend one" in page.content.decode()
    response = client.post(
        url("deliberation_tables_create", tenant.assembly.pk),
        {"session": session.pk, "rounds": "2", "table_count": "3", "mix": ["gender"]},
    )
    plan = TablePlan.objects.get(session=session)
    assert response["Location"] == url("deliberation_tableplan_plan", plan.pk)
    assert (plan.rounds, plan.table_count, plan.mix) == (2, 3, ["gender"])
    assert list(plan.tables.values_list("number", flat=True)) == [1, 2, 3]


def test_computing_from_the_screen_shows_round_one(
    client: Any, plan: TablePlan, tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tenant.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("deliberation_tableplan_compute", plan.pk))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.READY
    body = client.get(url("deliberation_tableplan_plan", plan.pk)).content.decode()
    assert "Round 1" in body and "Person 00" in body
    assert "Repeated pairs" in body and "Cells out of band" in body


def test_bad_settings_come_back_as_a_message(client: Any, plan: TablePlan, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    response = client.post(
        url("deliberation_tableplan_settings", plan.pk), {"rounds": "99", "table_count": "4"}, follow=True
    )
    assert response.status_code == 200
    assert "Rounds: give a whole number from 1 to 20." in response.content.decode()


def test_a_swap_from_the_screen_updates_the_figures(client: Any, computed: TablePlan, tenant: Any) -> None:
    seats = {s.member_id: s.table_id for s in Seat.objects.filter(plan=computed, round=3)}
    a = next(iter(seats))
    b = next(m for m, t in seats.items() if t != seats[a])
    client.force_login(tenant.organiser)
    response = client.post(
        url("deliberation_tableplan_swap", computed.pk),
        {"round": "3", "member_a": a, "member_b": b},
        follow=True,
    )
    assert "The two members are swapped" in response.content.decode()
    assert Seat.objects.get(plan=computed, round=3, member_id=a).table_id == seats[b]


def test_viewers_see_counts_not_names_nor_answers(client: Any, computed: TablePlan, tenant: Any) -> None:
    viewer = UserFactory(username="alpha-viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    body = client.get(url("deliberation_tableplan_plan", computed.pk)).content.decode()
    assert "Person 00" not in body
    assert "members" in body  # a count per table
    assert "Compute the plan" not in body
    assert client.get(url("deliberation_tableplan_lists_pdf", computed.pk)).status_code == 403
    assert client.post(url("deliberation_tableplan_compute", computed.pk)).status_code == 403


def test_facilitators_see_names_and_counts_but_not_answers(
    client: Any, computed: TablePlan, tenant: Any, facilitator: Any
) -> None:
    client.force_login(facilitator)
    body = client.get(url("deliberation_tableplan_plan", computed.pk)).content.decode()
    assert "Person 00" in body
    assert "Gender" in body  # the count per table
    # No per-person values: a person's line carries no "(female, 16-34)".
    assert "Person 00 <small>" not in body


def test_organisers_see_each_persons_values(client: Any, computed: TablePlan, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    body = client.get(url("deliberation_tableplan_plan", computed.pk)).content.decode()
    assert "Person 00 <small>" in body


@pytest.mark.parametrize("name", ["deliberation_tableplan_lists_pdf", "deliberation_tableplan_cards_pdf"])
def test_pdfs_render(client: Any, computed: TablePlan, tenant: Any, facilitator: Any, name: str) -> None:
    for user in (tenant.organiser, facilitator):
        client.force_login(user)
        response = client.get(url(name, computed.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


def test_other_tenants_get_404_for_plans_and_minutes(
    client: Any, computed: TablePlan, other_tenant: Any
) -> None:
    other_facilitator = UserFactory(username="beta-fay@example.org")
    TeamMembershipFactory(team=other_tenant.team, user=other_facilitator, role=Role.FACILITATOR)
    for user in (other_tenant.organiser, other_facilitator, other_tenant.member):
        client.force_login(user)
        for name in (
            "deliberation_tableplan_plan",
            "deliberation_tableplan_lists_pdf",
            "deliberation_tableplan_cards_pdf",
            "deliberation_tableplan_outputs",
        ):
            assert client.get(url(name, computed.pk)).status_code == 404, (user, name)
        assert client.post(url("deliberation_tableplan_compute", computed.pk)).status_code == 404
        assert client.get(url("deliberation_minutes_session", computed.session_id)).status_code == 404
        assert (
            client.get(url("deliberation_tables_assembly", computed.session.assembly_id)).status_code == 404
        )


def test_minutes_screen_shows_the_tally_and_corrections(
    client: Any, session: Any, tenant: Any, room: list[Any]
) -> None:
    client.force_login(tenant.organiser)
    client.post(url("deliberation_minutes_action", session.pk), {"action": "save", "text": "We met."})
    client.post(url("deliberation_minutes_action", session.pk), {"action": "circulate"})
    minutes = PlenaryMinutes.objects.get(session=session)
    assert minutes.status == MinutesStatus.CIRCULATED
    services.minutes_respond(minutes=minutes, member=room[0], decision="approve", by=room[0].user)
    services.minutes_respond(
        minutes=minutes, member=room[1], decision="correct", correction="We met twice.", by=room[1].user
    )
    body = client.get(url("deliberation_minutes_session", session.pk)).content.decode()
    assert 'id="tally-approve">1<' in body and 'id="tally-correct">1<' in body
    assert "We met twice." in body


def test_plan_page_query_count_does_not_grow_with_rows(
    client: Any, tenant: Any, other_tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The plan page answers in a fixed number of queries, for 8 or 24 members."""
    counts = []
    client.force_login(tenant.organiser)
    for n, slug_tenant in ((8, tenant), (24, other_tenant)):
        assembly = slug_tenant.assembly
        if slug_tenant is other_tenant:
            client.force_login(other_tenant.organiser)
        make_room(assembly, n=n)
        session = make_session(assembly)
        plan = services.table_plan_create(
            session=session, rounds=3, table_count=3, mix=["gender", "age"], by=slug_tenant.organiser
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.table_plan_compute(plan=plan, by=slug_tenant.organiser)
        page = url("deliberation_tableplan_plan", plan.pk)
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 45, counts


def test_the_plan_page_counts_access_needs_without_names(
    client: Any, plan: TablePlan, room: list[Any], tenant: Any
) -> None:
    from deliberation.models import AccessNeed, Participant

    Participant.objects.create(member=room[0], access_needs=[AccessNeed.STEP_FREE])
    Participant.objects.create(member=room[1], access_needs=[AccessNeed.STEP_FREE])
    Participant.objects.create(
        member=room[2], access_needs=[AccessNeed.INTERPRETER], interpreter_language="Polish"
    )
    services.table_update(
        plan=plan, number=2, name="", facilitator_id="", step_free=True, language="", by=tenant.organiser
    )
    client.force_login(tenant.organiser)
    body = client.get(url("deliberation_tableplan_plan", plan.pk)).content.decode()
    needs = body[body.index('id="access-needs"') :]
    needs = needs[: needs.index("</ul>")]
    assert "2 members need step-free access: 1 table meets this need" in needs
    assert '<li class="errornote">1 member needs an interpreter for Polish: 0 tables meet this need' in needs
    assert "Person 0" not in needs


def _queries(client: Any, page: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_plans_and_outputs_lists_do_not_query_per_row(
    client: Any, computed: TablePlan, tenant: Any, facilitator: Any
) -> None:
    client.force_login(tenant.organiser)
    plans = url("deliberation_tables_assembly", tenant.assembly.pk)
    outputs = url("deliberation_tableplan_outputs", computed.pk)
    tables = reverse("portal:deliberation_facilitate_tables", args=[tenant.assembly.slug])
    for table in computed.tables.all():
        services.table_update(
            plan=computed,
            number=table.number,
            name="",
            facilitator_id=facilitator.pk,
            step_free=False,
            language="",
            by=tenant.organiser,
        )
    services.table_output_save(
        table=computed.tables.get(number=1),
        round=1,
        key_points="One",
        questions="",
        proposals="",
        by=facilitator,
    )
    few = (_queries(client, plans), _queries(client, outputs))
    client.force_login(facilitator)
    few_tables = _queries(client, tables)
    client.force_login(tenant.organiser)
    for _ in range(5):
        session = make_session(tenant.assembly)
        services.table_plan_create(session=session, rounds=2, table_count=2, by=tenant.organiser)
    for table in computed.tables.all():
        for r in (2, 3):
            services.table_output_save(
                table=table, round=r, key_points="More", questions="", proposals="", by=facilitator
            )
    assert (_queries(client, plans), _queries(client, outputs)) == few
    client.force_login(facilitator)
    assert _queries(client, tables) == few_tables


def test_replan_from_the_screen(
    client: Any, computed: TablePlan, tenant: Any, room: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from .helpers import check_in

    client.force_login(tenant.organiser)
    refused = client.post(url("deliberation_tableplan_replan", computed.pk), {"from_round": "2"}, follow=True)
    assert "Nobody is checked in for this session yet" in refused.content.decode()
    check_in(computed.session, room[2:])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("deliberation_tableplan_replan", computed.pk), {"from_round": "2"})
    body = client.get(url("deliberation_tableplan_plan", computed.pk)).content.decode()
    assert "held (kept as it was)" in body
    assert not Seat.objects.filter(plan=computed, round__gte=2, member__in=room[:2]).exists()


def test_rules_that_cannot_hold_are_shown_not_a_500(
    client: Any, plan: TablePlan, tenant: Any, room: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(tenant.organiser)
    for member in room[:2]:
        client.post(
            url("deliberation_tableplan_rule_add", plan.pk),
            {"kind": "pin", "member": member.pk, "table": "1"},
        )
    client.post(
        url("deliberation_tableplan_rule_add", plan.pk),
        {"kind": "apart", "member_a": room[0].pk, "member_b": room[1].pk},
    )
    bad = client.post(
        url("deliberation_tableplan_rule_add", plan.pk),
        {"kind": "pin", "member": "x", "table": "9"},
        follow=True,
    )
    assert "Member: choose a member of this assembly." in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("deliberation_tableplan_compute", plan.pk))
    response = client.get(url("deliberation_tableplan_plan", plan.pk))
    assert response.status_code == 200
    assert "The plan could not be computed" in response.content.decode()
