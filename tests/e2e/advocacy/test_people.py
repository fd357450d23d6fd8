"""People who carry it forward, in the browser: a member accepts a media
request on a 320-px phone; a visitor reads the affiliates page and the news;
the member reads the power map on the phone (no internal notes)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from advocacy.models import InviteStatus, MediaInvite
from advocacy.people import services
from advocacy.power import services as power
from assemblies.actors import SYSTEM
from assemblies.models import Member
from tests.e2e.helpers import axe_violations, login_with_cookie, shot
from tests.factories import AffiliateFactory, MediaItemFactory, StakeholderFactory, make_adopted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
NOTE = "The chair owes the developer a favour"


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


@pytest.fixture
def riverside(tenant: Any) -> Any:
    assembly = tenant.assembly
    assembly.stage = "follow_up"
    assembly.save(update_fields=["stage"])
    return assembly


def test_a_member_accepts_a_media_request_on_a_320px_phone(
    page: Any, live_server: Any, tenant: Any, riverside: Any
) -> None:
    rec = make_adopted(riverside, title="Cap yearly rent rises")
    member = Member.objects.get(assembly=riverside, user=tenant.member)
    spokesperson = services.spokesperson_opt_in(
        member=member, recommendations=[rec], media=["radio"], by=tenant.member
    )
    services.media_request_send(
        assembly=riverside,
        title="Drive-time interview on the rent cap",
        outlet="Radio Riverside",
        medium="radio",
        place="Bridge Street studio",
        recommendations=[rec],
        spokespeople=[spokesperson],
        by=tenant.organiser,
    )
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)

    page.goto(f"{live_server.url}/portal/{riverside.slug}/")
    expect(page.get_by_text("Requests waiting for your answer")).to_be_visible()
    page.get_by_role("link", name="Speak for the assembly").first.click()
    expect(page.get_by_role("heading", name="Requests sent to you")).to_be_visible()
    _fits(page)
    shot(page, "advocacy-spokesperson-320")
    page.get_by_role("link", name="Drive-time interview on the rent cap").click()
    expect(page.get_by_text("Radio Riverside")).to_be_visible()
    _fits(page)
    shot(page, "advocacy-media-request-320")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Thank you: you accepted.")).to_be_visible()
    expect(page.locator("#answer-status")).to_contain_text("Accepted")
    _fits(page)
    shot(page, "advocacy-media-request-accepted-320")
    assert MediaInvite.objects.get().status == InviteStatus.ACCEPTED


def test_a_member_reads_the_power_map_on_a_phone(
    page: Any, live_server: Any, tenant: Any, riverside: Any
) -> None:
    rec = make_adopted(riverside, title="Cap yearly rent rises")
    for name, influence, stance, space, form in (
        ("Riverside Council", 5, "opponent", "closed", "visible"),
        ("Landlords' Association", 4, "opponent", "closed", "hidden"),
        ("Tenants' Union", 2, "champion", "claimed", "visible"),
        ("Riverside Echo", 3, "neutral", "claimed", "invisible"),
    ):
        s = StakeholderFactory(
            assembly=riverside, name=name, influence=influence, space=space, form=form, internal_notes=NOTE
        )
        power.stance_set(stakeholder=s, recommendation=rec, stance=stance, by=SYSTEM)
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)
    page.goto(f"{live_server.url}/portal/{riverside.slug}/power/map/")
    expect(page.get_by_role("img", name="Power map for all recommendations")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Tenants' Union")
    assert NOTE not in page.content()
    _fits(page)
    shot(page, "advocacy-power-map-320")
    page.get_by_label("Recommendation", exact=True).select_option(label="1. Cap yearly rent rises")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name="Power map for recommendation 1")).to_be_visible()
    page.goto(f"{live_server.url}/portal/{riverside.slug}/power/learn/1/")
    expect(page.get_by_role("heading", name="Who decides?")).to_be_visible()
    _fits(page)
    shot(page, "advocacy-power-lesson-320")


def test_a_visitor_reads_the_affiliates_page(page: Any, live_server: Any, riverside: Any) -> None:
    rec = make_adopted(riverside, title="Community land trust")
    builders = AffiliateFactory(
        assembly=riverside,
        name="Riverside Builders' Federation",
        email="private@builders.example.org",
        commitment="We will offer land for the trust at cost.",
    )
    builders.recommendations.add(rec)
    services.affiliate_report(affiliate=builders, text="We offered two plots to the trust.")
    AffiliateFactory(assembly=riverside, name="Riverside Echo", sector="media").recommendations.add(rec)
    MediaItemFactory(assembly=riverside, title="What happened to the land trust?", reach=6000, tone="neutral")
    page.set_viewport_size(NARROW)

    page.goto(f"{live_server.url}/assemblies/{riverside.slug}/")
    page.get_by_role("link", name="Affiliates and their commitments").click()
    expect(page.get_by_role("heading", name="Who carries the recommendations forward")).to_be_visible()
    expect(page.get_by_role("heading", name="Business")).to_be_visible()
    expect(page.get_by_text("We will offer land for the trust at cost.")).to_be_visible()
    expect(page.get_by_text("We offered two plots to the trust.")).to_be_visible()
    assert "private@builders.example.org" not in page.content()
    _fits(page)
    shot(page, "advocacy-affiliates-320")
    page.goto(f"{live_server.url}/assemblies/{riverside.slug}/news/")
    expect(page.get_by_role("link", name="What happened to the land trust?")).to_be_visible()
    _fits(page)
    shot(page, "advocacy-news-320")


def test_an_organiser_reads_the_power_map_and_the_pressure(
    page: Any, live_server: Any, tenant: Any, riverside: Any
) -> None:
    rent, trust = (
        make_adopted(riverside, title="Cap yearly rent rises"),
        make_adopted(riverside, title="Land trust"),
    )
    council = StakeholderFactory(
        assembly=riverside, name="Riverside Council", influence=5, internal_notes=NOTE
    )
    power.stance_set(stakeholder=council, recommendation=rent, stance="opponent", by=SYSTEM)
    power.tactic_save(
        assembly=riverside, title="Brief the committee", method="briefing", recommendations=[rent], by=SYSTEM
    )
    login_with_cookie(page.context, live_server, tenant.organiser)
    page.goto(f"{live_server.url}/admin/advocacy/stakeholder/assembly/{riverside.pk}/map/")
    expect(page.get_by_role("img", name="Power map for all recommendations")).to_be_visible()
    expect(page.get_by_role("table", name="The stakeholders on the map")).to_contain_text(NOTE)
    shot(page, "advocacy-organiser-map")
    page.get_by_role("link", name="Insider and outsider pressure").click()
    expect(page.get_by_text("Cap yearly rent rises: Only insider pressure")).to_be_visible()
    expect(page.get_by_text("Land trust: No pressure yet")).to_be_visible()
    shot(page, "advocacy-organiser-pressure")
    assert trust.pk


def test_the_advocacy_pages_respect_the_csp(page: Any, live_server: Any, tenant: Any, riverside: Any) -> None:
    from tests.e2e.helpers import CSPWatcher

    csp = CSPWatcher(page)
    rec = make_adopted(riverside, title="Cap yearly rent rises")
    s = StakeholderFactory(assembly=riverside, name="Riverside Council")
    power.stance_set(stakeholder=s, recommendation=rec, stance="ally", by=SYSTEM)
    AffiliateFactory(assembly=riverside).recommendations.add(rec)
    MediaItemFactory(assembly=riverside)
    base, slug = live_server.url, riverside.slug
    for label, url in (
        ("affiliates", f"{base}/assemblies/{slug}/affiliates/"),
        ("sign", f"{base}/assemblies/{slug}/affiliates/sign/"),
        ("news", f"{base}/assemblies/{slug}/news/"),
    ):
        csp.visit(label, url)
    login_with_cookie(page.context, live_server, tenant.member)
    for label, url in (
        ("power", f"{base}/portal/{slug}/power/"),
        ("lesson", f"{base}/portal/{slug}/power/learn/2/"),
        ("map", f"{base}/portal/{slug}/power/map/"),
        ("spokesperson", f"{base}/portal/{slug}/spokesperson/"),
    ):
        csp.visit(label, url)
    login_with_cookie(page.context, live_server, tenant.organiser)
    csp.visit("organiser map", f"{base}/admin/advocacy/stakeholder/assembly/{riverside.pk}/map/")
    csp.visit("pressure", f"{base}/admin/advocacy/tactic/assembly/{riverside.pk}/pressure/")
    csp.visit("media requests", f"{base}/admin/advocacy/mediarequest/assembly/{riverside.pk}/send/")
    assert csp.clean, "CSP violations:\n" + csp.report()
