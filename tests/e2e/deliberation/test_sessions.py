"""Sessions in the browser: an organiser plans a session with two agenda
items in the admin; a member on a 320-px phone reads their schedule and
downloads their calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from playwright.sync_api import expect

from deliberation.models import Evidence, Session
from tests.e2e.helpers import axe_violations, login_with_cookie, no_horizontal_scroll, shot
from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def test_organiser_plans_a_session_with_two_items(
    page: Any, live_server: Any, settings: Any, organiser: Any, assembly: Any
) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = False
    login_with_cookie(page.context, live_server, organiser)
    page.goto(f"{live_server.url}/admin/deliberation/session/add/")
    page.locator("select[name=assembly]").select_option(str(assembly.pk))
    page.locator("input[name=title]").fill("Weekend three: energy")
    page.locator("input[name=starts_at_0]").fill("2030-09-14")
    page.locator("input[name=starts_at_1]").fill("10:00")
    page.locator("input[name=ends_at_0]").fill("2030-09-14")
    page.locator("input[name=ends_at_1]").fill("12:00")
    page.locator("input[name=venue_name]").fill("Northshire Town Hall")
    page.locator("textarea[name=venue_address]").fill("1 Market Square, Northshire")
    page.locator("textarea[name=access_info]").fill("Step-free entrance on Mill Lane.")
    page.locator("input[name=is_public]").check()
    page.locator("input[name='items-0-title']").fill("How we heat our homes")
    page.locator("select[name='items-0-kind']").select_option("talk")
    page.locator("input[name='items-0-minutes']").fill("45")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    # The second item, in the empty row of the saved session's page.
    page.locator("input[name='items-1-title']").fill("Table discussion")
    page.locator("select[name='items-1-kind']").select_option("tables")
    page.locator("input[name='items-1-minutes']").fill("90")
    page.locator("input[name=_continue]").click()
    # 45 + 90 minutes in a two-hour session: the organiser is told it runs over.
    expect(page.locator(".messagelist")).to_contain_text("runs 15 minutes over")
    expect(page.locator("#items-group")).to_contain_text("10:00–10:45")
    expect(page.locator("#items-group")).to_contain_text("10:45–12:15")
    shot(page, "sessions-10-admin-agenda-over")
    # Move the table discussion first: times follow.
    page.get_by_role("button", name="Move “Table discussion” up").click()
    expect(page.locator(".messagelist")).to_contain_text("moved")
    expect(page.locator("#items-group")).to_contain_text("10:00–11:30")
    shot(page, "sessions-11-admin-agenda-moved")
    session = Session.objects.get(title="Weekend three: energy")
    assert list(session.items.order_by("position").values_list("title", flat=True)) == [
        "Table discussion",
        "How we heat our homes",
    ]


def test_member_reads_the_schedule_on_a_small_phone_and_downloads_the_feed(
    page: Any, live_server: Any, member: Any, assembly: Any, tmp_path: Any
) -> None:
    start = dt.datetime.now(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=9)
    session = SessionFactory(
        assembly=assembly,
        title="Weekend two: transport",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        mode="hybrid",
        venue_name="Northshire Town Hall",
        venue_address="1 Market Square\nNorthshire NS1 1AA",
        access_info="Step-free entrance on Mill Lane. Bus 12 stops outside. Quiet room on the first floor.",
        online_url="https://meet.example.org/northshire-weekend-two-transport-session",
    )
    talk = AgendaItemFactory(session=session, title="Buses, trams and bikes", minutes=60, position=1)
    talk.speakers.add(SpeakerFactory(assembly=assembly, name="Dr Ada Lane", organisation="Transport Lab"))
    AgendaItemFactory(session=session, title="Tables", minutes=90, position=2, kind="tables")
    Evidence.objects.create(
        assembly=assembly,
        item=talk,
        title="Bus usage in Northshire",
        url="https://example.org/bus-study",
        summary="Who takes the bus, when and why.",
    )
    login_with_cookie(page.context, live_server, member)
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    expect(page.get_by_role("heading", name="Your next session")).to_be_visible()
    shot(page, "sessions-20-portal-next-session-320")
    assert not axe_violations(page), axe_violations(page)
    page.get_by_role("link", name="Your schedule and how to get there").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your schedule")
    next_card = page.locator(".session--next")
    expect(next_card).to_contain_text("Weekend two: transport")
    expect(next_card).to_contain_text("Step-free entrance on Mill Lane")
    expect(next_card).to_contain_text("Buses, trams and bikes")
    expect(next_card).to_contain_text("Dr Ada Lane")
    expect(next_card.get_by_role("link", name="Bus usage in Northshire")).to_be_visible()
    shot(page, "sessions-21-schedule-320")
    width, inner = no_horizontal_scroll(page)
    assert width <= inner, f"the schedule scrolls sideways at 320 px ({width} > {inner})"
    assert not axe_violations(page), axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    path = tmp_path / "feed.ics"
    download_info.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Weekend two: transport"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == start
    assert "Northshire Town Hall" in str(event["LOCATION"])

    # The public programme, once the session is public (speakers named, no private reading).
    Session.objects.filter(pk=session.pk).update(is_public=True)
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/programme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.locator("main")).to_contain_text("Weekend two: transport")
    expect(page.locator("main")).to_contain_text("Dr Ada Lane")
    expect(page.locator("main")).not_to_contain_text("Bus usage in Northshire")  # not published
    shot(page, "sessions-22-public-programme-320")
    assert not axe_violations(page), axe_violations(page)
    page.goto(f"{live_server.url}/portal/{assembly.slug}/schedule/")

    # Reset the link: the old address stops working.
    old = page.locator("#feed-url").input_value()
    page.get_by_role("button", name="Reset my calendar link").click()
    expect(page.locator(".messages")).to_contain_text("Your calendar has a new address")
    assert page.locator("#feed-url").input_value() != old
    assert page.request.get(old).status == 404
