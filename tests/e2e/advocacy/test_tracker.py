"""The tracker in the browser: an organiser records a response and a
milestone; a visitor sees the headline change and follows a recommendation;
a member rates a response on a 320-px phone. Pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from advocacy.models import Follower, Rating
from notifications.models import OutboxMessage
from tests.advocacy.tracking.helpers import make_tracked
from tests.e2e.helpers import axe_violations, login_with_cookie, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _accessible(page: Any) -> None:
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    _accessible(page)


def test_organiser_records_and_visitor_sees_the_headline_change_and_follows(
    browser: Any, live_server: Any, tenant: Any
) -> None:
    tracked = make_tracked(tenant.assembly, tenant.organiser)
    slug = tracked.assembly.slug
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    visitor.goto(f"{live_server.url}/assemblies/{slug}/tracker/")
    expect(visitor.locator('[data-figure="full"]')).to_have_text("1")
    expect(visitor.locator('[data-figure="no_response"]')).to_have_text("2")
    expect(visitor.get_by_role("img", name="Recommendations by implementation over time")).to_be_visible()
    _accessible(visitor)
    shot(visitor, "tracker-public-before")

    # The organiser records recommendation 4's response, then a milestone.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    login_with_cookie(context, live_server, tenant.organiser)
    admin = context.new_page()
    admin.goto(f"{live_server.url}/admin/advocacy/response/assembly/{tracked.assembly.pk}/")
    expect(admin.get_by_text("1 overdue response")).to_be_visible()
    shot(admin, "tracker-admin-list")
    admin.get_by_role("link", name="4. Tenants' union").click()
    admin.locator("#id_response-status").select_option("accepted")
    admin.locator("#id_response-responded_on").fill("2026-11-30")
    admin.locator("#id_response-source_url").fill("https://council.example.org/decision/4")
    admin.get_by_role("button", name="Save the response").click()
    expect(admin.get_by_text("The response is saved.")).to_be_visible()
    admin.locator("#id_milestone-date").fill("2026-12-01")
    admin.locator("#id_milestone-title").fill("Tenants' union grant approved")
    admin.locator("#id_milestone-kind").select_option("budget")
    admin.locator("#id_milestone-status").select_option("implemented")
    admin.locator("#id_milestone-evidence_url").fill("https://council.example.org/budget/2027")
    admin.get_by_role("button", name="Add the milestone").click()
    expect(admin.get_by_text("The milestone is added.")).to_be_visible()
    expect(admin.get_by_role("cell", name="Implementation", exact=True)).to_have_count(1)
    shot(admin, "tracker-admin-recommendation")

    # The visitor sees the headline change, and follows recommendation 2.
    visitor.reload()
    expect(visitor.locator('[data-figure="full"]')).to_have_text("2")
    expect(visitor.locator('[data-figure="no_response"]')).to_have_text("1")
    expect(visitor.locator("#recommendation-4")).to_contain_text("Tenants' union grant approved")
    shot(visitor, "tracker-public-after")
    card = visitor.locator("#recommendation-2")
    card.get_by_label("Email me when this changes").fill("neighbour@example.org")
    card.get_by_role("button", name="Follow recommendation 2").click()
    expect(visitor.get_by_role("heading", name="Check your email")).to_be_visible()
    follower = Follower.objects.get(email="neighbour@example.org")
    assert follower.recommendation == tracked.recs[1] and follower.confirmed_at is None
    assert OutboxMessage.objects.filter(
        recipient="neighbour@example.org", template="advocacy_follow_confirm"
    ).exists()
    visitor.goto(f"{live_server.url}/tracker/follow/{follower.token}/")
    expect(visitor.get_by_role("heading", name="You are following")).to_be_visible()
    _accessible(visitor)

    # The tracker on a 320-px phone.
    phone = browser.new_context(viewport=NARROW, locale="en-GB").new_page()
    phone.goto(f"{live_server.url}/assemblies/{slug}/tracker/?headline=part")
    expect(phone.locator("#recommendation-3")).to_contain_text("Empty homes levy")
    phone.get_by_text("What was enacted, compared with the recommendation").click()
    expect(phone.locator("#recommendation-3 del")).to_contain_text("three")
    _fits(phone)
    shot(phone, "tracker-public-320")


def test_a_member_rates_a_response_on_a_phone(browser: Any, live_server: Any, tenant: Any) -> None:
    tracked = make_tracked(tenant.assembly, tenant.organiser)
    context = browser.new_context(viewport=NARROW, locale="en-GB")
    login_with_cookie(context, live_server, tenant.member)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/{tracked.assembly.slug}/")
    page.get_by_role("link", name="Rate the institutions' responses").click()
    expect(page.get_by_role("heading", name="The institutions' responses")).to_be_visible()
    shot(page, "tracker-member-list-320")
    _fits(page)
    section = page.locator(f"#response-{tracked.recs[1].response.pk}")
    section.get_by_label("7", exact=True).check()
    section.get_by_role("button", name="Save my rating of response 2").click()
    expect(page.get_by_text("your rating of the response to recommendation 2 is saved")).to_be_visible()
    section = page.locator(f"#response-{tracked.recs[1].response.pk}")
    expect(section).to_contain_text("7.0 out of 10 (1 rating)")
    expect(section.get_by_label("7", exact=True)).to_be_checked()
    _fits(page)
    shot(page, "tracker-member-rating-320")
    assert Rating.objects.get().score == 7


def test_an_institution_enters_its_response_through_its_private_link(
    browser: Any, live_server: Any, tenant: Any
) -> None:
    from advocacy.tracking import services

    tracked = make_tracked(tenant.assembly, tenant.organiser)
    rec = tracked.recs[3]
    link = services.institution_link_create(response=rec.response, by=tenant.organiser, send=False)
    page = browser.new_context(viewport=NARROW, locale="en-GB").new_page()
    page.goto(f"{live_server.url}/respond/{link.token}/")
    expect(page.get_by_role("heading", name="Your response to recommendation 4")).to_be_visible()
    _fits(page)
    page.get_by_label("Your response", exact=True).select_option("accepted_in_principle")
    page.get_by_label("Date of your response").fill("2026-12-02")
    page.get_by_label("Your reasons").fill("We support a tenants' union and will consult on funding.")
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    shot(page, "tracker-institution-thanks-320")
    page.goto(f"{live_server.url}/respond/{link.token}/")
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    _fits(page)
    rec.response.refresh_from_db()
    assert rec.response.status == "no_response"
    assert rec.response.pending["status"] == "accepted_in_principle"
