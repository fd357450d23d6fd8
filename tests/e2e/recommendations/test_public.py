"""The published recommendation pages in the browser: a visitor finds a
recommendation by search (no JavaScript needed); the pages pass axe-core at
320 px and on a desktop, and request nothing from another site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from assemblies.models import Stage
from recommendations.ballots import services
from recommendations.models import MinorityStatement
from tests.e2e.helpers import axe_violations, shot
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
TITLES = ["Cap yearly rent rises", "A register of private landlords", "Warm rented homes by 2030"]


def _published(tenant: Any) -> Any:
    assembly = tenant.assembly
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    members = make_members(assembly, 10)
    for number, title in enumerate(TITLES, start=1):
        rec = make_recommendation(
            assembly,
            number,
            title=title,
            text=f"The council should act: **{title.lower()}**.\n\n- one\n- two",
        )
        ballot = services.ballot_create(
            assembly=assembly, recommendation=rec, question="?", by=tenant.organiser
        )
        services.ballot_open(ballot=ballot, by=tenant.organiser)
        for i, member in enumerate(members):
            services.vote_cast(
                ballot=ballot, member=member, choice="yes" if i < 7 + number else "no", by=member.user
            )
        services.ballot_close(ballot=ballot, by=tenant.organiser)
    MinorityStatement.objects.create(
        recommendation=assembly.recommendations.get(number=2), text="We disagree.", signed_as="Two members"
    )
    assembly.stage = Stage.PUBLISHED
    assembly.save(update_fields=["stage"])
    return assembly


@pytest.mark.parametrize("viewport", [NARROW, {"width": 1280, "height": 900}], ids=["320px", "desktop"])
def test_a_visitor_finds_a_recommendation_by_search(
    page: Any, live_server: Any, tenant: Any, viewport: dict[str, int]
) -> None:
    assembly = _published(tenant)
    page.set_viewport_size(viewport)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    failures: dict[str, list[str]] = {}

    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/")
    page.get_by_role("link", name="Read the recommendations").click()
    expect(page.get_by_role("heading", name="3 recommendations")).to_be_visible()
    failures["list"] = axe_violations(page)
    page.get_by_label("Words to look for").fill("landlords")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 recommendation", exact=True)).to_be_visible()
    assert "q=landlords" in page.url
    failures["search"] = axe_violations(page)
    page.get_by_role("link", name="2. A register of private landlords").click()
    expect(page.get_by_role("heading", name="2. A register of private landlords")).to_be_visible()
    expect(page.get_by_text("We disagree.")).to_be_visible()
    expect(page.get_by_role("img", name="Votes by option")).to_be_visible()
    failures["detail"] = axe_violations(page)
    shot(page, f"recommendation-detail-{viewport['width']}")
    page.get_by_role("link", name="Printable version").click()
    failures["print"] = axe_violations(page)
    # The filters are a plain GET form: a link can hold a search (9 and 10 of 10 in favour).
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/recommendations/?support=90")
    expect(page.get_by_role("heading", name="2 recommendations", exact=True)).to_be_visible()
    if viewport["width"] == NARROW["width"]:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"] + 1, f"the list is {width}px wide"
        shot(page, "recommendations-list-320")
    assert hosts == {urlparse(live_server.url).netloc}, hosts
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, failures
