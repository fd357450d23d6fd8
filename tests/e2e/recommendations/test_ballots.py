"""Voting in the browser: members vote on 320-px phones, change their vote,
and see the result once the ballot closes; every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from assemblies.models import Member, Stage
from recommendations.ballots import services
from recommendations.models import Participation, Vote
from tests.e2e.helpers import axe_violations, login_with_cookie, shot
from tests.recommendations.ballots.helpers import make_members, make_recommendation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def test_members_vote_and_see_the_result_when_the_ballot_closes(
    browser: Any, live_server: Any, tenant: Any
) -> None:
    assembly = tenant.assembly
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    rec = make_recommendation(assembly, 1, title="Cap yearly rent rises")
    ballot = services.ballot_create(
        assembly=assembly, recommendation=rec, question="Do you adopt recommendation 1?", by=tenant.organiser
    )
    services.ballot_open(ballot=ballot, by=tenant.organiser)
    (second,) = make_members(assembly, 1, prefix="second")
    first = Member.objects.get(assembly=assembly, user=tenant.member)
    pages = []
    for member, choice in ((first, "Yes"), (second, "No")):
        context = browser.new_context(viewport=NARROW, locale="en-GB")
        login_with_cookie(context, live_server, member.user)
        page = context.new_page()
        page.goto(f"{live_server.url}/portal/{assembly.slug}/")
        page.get_by_role("link", name="Votes").click()
        expect(page.get_by_text("You have not voted yet.")).to_be_visible()
        _fits(page)
        page.get_by_role("link", name="Do you adopt recommendation 1?").click()
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Vote").click()
        expect(page.get_by_text("Your vote is counted")).to_be_visible()
        expect(page.locator("#your-vote")).to_contain_text(choice)
        _fits(page)
        pages.append(page)
    shot(pages[0], "ballot-voted-320")
    # The first member changes their mind.
    pages[0].get_by_label("No", exact=True).check()
    pages[0].get_by_role("button", name="Change my vote").click()
    expect(pages[0].locator("#your-vote")).to_contain_text("No")
    assert Vote.objects.filter(ballot=ballot).count() == 2
    assert Participation.objects.filter(ballot=ballot).count() == 2

    # The organiser sees turnout only, then closes the ballot from the admin screen.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    login_with_cookie(context, live_server, tenant.organiser)
    admin = context.new_page()
    admin.goto(f"{live_server.url}/admin/recommendations/ballot/assembly/{assembly.pk}/")
    expect(admin.get_by_text("turnout 2 of 2")).to_be_visible()
    expect(admin.get_by_role("img", name="Votes by option")).to_have_count(0)
    shot(admin, "ballots-admin-open")
    admin.get_by_role("button", name="Close the ballot and count").click()
    expect(admin.get_by_text("The ballot is closed: not adopted.")).to_be_visible()
    expect(admin.get_by_role("img", name="Votes by option")).to_be_visible()
    shot(admin, "ballots-admin-closed")
    for page in pages:
        page.reload()
        expect(page.get_by_role("heading", name="Result")).to_be_visible()
        expect(page.get_by_text("Not adopted:", exact=True)).to_be_visible()
        expect(page.locator("#your-vote")).to_have_count(0)
        expect(page.get_by_role("img", name="Votes by option")).to_be_visible()
        _fits(page)
    shot(pages[1], "ballot-result-320")


def test_a_member_spreads_dots_and_writes_a_minority_statement_on_a_phone(
    page: Any, live_server: Any, tenant: Any
) -> None:
    from recommendations.models import MinorityStatement, PriorityVote

    assembly = tenant.assembly
    assembly.stage = Stage.DECIDING
    assembly.save(update_fields=["stage"])
    recs = [
        make_recommendation(assembly, n, title=title, status="adopted")
        for n, title in enumerate(("Cap yearly rent rises", "Warm rented homes by 2030"), start=1)
    ]
    round_ = services.priority_create(assembly=assembly, by=tenant.organiser, dots=5)
    services.priority_open(round=round_, by=tenant.organiser)
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)
    page.goto(f"{live_server.url}/portal/{assembly.slug}/ballots/")
    page.get_by_role("link", name=round_.question).click()
    _fits(page)
    page.get_by_label("2. Warm rented homes by 2030").fill("4")
    page.get_by_label("1. Cap yearly rent rises").fill("1")
    page.get_by_role("button", name="Save my priorities").click()
    expect(page.get_by_text("Your priorities are counted")).to_be_visible()
    expect(page.get_by_label("2. Warm rented homes by 2030")).to_have_value("4")
    assert sorted(PriorityVote.objects.values_list("points", flat=True)) == [1, 4]
    shot(page, "priorities-320")

    page.goto(f"{live_server.url}/portal/{assembly.slug}/minority-statements/{recs[0].number}/")
    _fits(page)
    page.get_by_role("button", name="Save the statement").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    _fits(page)
    page.get_by_label("Statement").fill("A cap alone will not bring rents down.")
    page.get_by_label("Signed by").fill("Alpha Member")
    page.get_by_role("button", name="Save the statement").click()
    expect(page.get_by_text("Your statement is saved.")).to_be_visible()
    assert MinorityStatement.objects.get().signed_as == "Alpha Member"
    _fits(page)
