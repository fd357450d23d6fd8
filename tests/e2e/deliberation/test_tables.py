"""Tables in the app, in Chromium: an organiser creates and computes a session's
table plan and sees round 1; a member sees their table on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from config.celery import app as celery_app
from deliberation.models import PlanStatus, Seat, TablePlan
from tests.deliberation.tables.helpers import make_room, make_session
from tests.e2e.helpers import PHONE, CSPWatcher, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def e2e(allow_orm_beside_playwright: None, settings: Any) -> Iterator[None]:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PLENARY_REQUIRE_ORGANISER_MFA = False
    settings.TABLE_PLAN_TIME_LIMIT = 10
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_organiser_creates_and_computes_a_plan_then_a_member_sees_their_table(
    e2e: None, page: Any, browser: Any, live_server: Any, tenant: Any
) -> None:
    assembly = tenant.assembly
    room = make_room(assembly, n=16)
    session = make_session(assembly, title="First weekend")
    page.set_default_timeout(30_000)
    _login(page, live_server, tenant.organiser)
    csp = CSPWatcher(page)

    csp.visit("plans", f"{live_server.url}/admin/deliberation/tableplan/assembly/{assembly.pk}/")
    expect(page.get_by_role("cell", name=re.compile("First weekend"))).to_be_visible()
    page.get_by_label("Rounds").fill("3")
    page.get_by_label("Tables", exact=True).fill("4")
    page.get_by_role("button", name="Create a table plan").click()
    expect(page.get_by_text("The table plan is created")).to_be_visible()
    page.get_by_label("Name of table 1").fill("Oak")
    page.get_by_label("Table 1 is step-free").check()
    page.get_by_role("button", name="Save the tables").click()
    expect(page.get_by_text("The tables are saved")).to_be_visible()
    shot(page, "tables-01-setup")

    page.get_by_role("button", name="Compute the plan").click()
    expect(page.get_by_text("The plan is computed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Round by round")).to_be_visible()
    expect(page.get_by_role("heading", name="Round 1")).to_be_visible()
    expect(page.get_by_text("Repeated pairs", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Table 1 · Oak").first).to_be_visible()
    csp.collect()
    shot(page, "tables-02-round-1")
    plan = TablePlan.objects.get(session=session)
    assert plan.status == PlanStatus.READY
    assert not csp.report(), csp.report()

    me = room[0]
    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    member_page = phone.new_page()
    _login(member_page, live_server, me.user)
    member_page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    expect(member_page.get_by_role("heading", name="Your table: First weekend")).to_be_visible()
    shot(member_page, "tables-03a-member-assembly-phone")
    member_page.get_by_role("link", name="Your table", exact=True).click()
    expect(member_page.get_by_role("heading", name="Your table", exact=True)).to_be_visible()
    for seat in Seat.objects.filter(plan=plan, member=me).select_related("table").order_by("round"):
        expect(member_page.get_by_text(f"Round {seat.round}:")).to_be_visible()
        expect(member_page.locator(".table-rounds li").nth(seat.round - 1)).to_contain_text(
            f"table {seat.table.number}"
        )
    # Phone first: nothing wider than the screen.
    width = member_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(member_page, "tables-03-member-phone")
    phone.close()


def test_a_facilitator_records_their_tables_output_on_a_small_phone(
    e2e: None, browser: Any, live_server: Any, tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from deliberation.models import TableOutput
    from deliberation.tables import services
    from tests.deliberation.tables.helpers import make_facilitator

    assembly = tenant.assembly
    make_room(assembly, n=12)
    facilitator = make_facilitator(tenant, "Fay")
    plan = services.table_plan_create(
        session=make_session(assembly, title="First weekend"),
        rounds=2,
        table_count=3,
        mix=["gender"],
        by=tenant.organiser,
    )
    services.table_update(
        plan=plan,
        number=2,
        name="Ash",
        facilitator_id=facilitator.pk,
        step_free=False,
        language="",
        by=tenant.organiser,
    )
    services.table_plan_compute_now(plan=plan, by=tenant.organiser)
    phone = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = phone.new_page()
    page.set_default_timeout(20_000)
    _login(page, live_server, facilitator)
    csp = CSPWatcher(page)
    csp.visit("facilitate", f"{live_server.url}/portal/{assembly.slug}/facilitate/tables/")
    expect(page.get_by_role("heading", name="Table 2 · Ash")).to_be_visible()
    page.get_by_role("link", name="Round 1").click()
    page.get_by_label("Key points").fill("Buses every 15 minutes matter most.")
    page.get_by_label("Proposals").fill("Trial two frequent routes.")
    shot(page, "tables-04-facilitator-320")
    page.get_by_role("button", name="Save what the table said").click()
    expect(page.get_by_text("Saved. Thank you.")).to_be_visible()
    expect(page.locator(".card li").first).to_contain_text("Round 1: recorded")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    csp.collect()
    assert not csp.report(), csp.report()
    output = TableOutput.objects.get(plan=plan, table__number=2, round=1)
    assert output.proposals == "Trial two frequent routes." and output.recorded_by == facilitator
    phone.close()
