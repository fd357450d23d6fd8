"""Drafting in the browser: on a 320-px phone a member comments on a
paragraph and proposes an amendment; the working group accepts it and the
history's word-level diff shows it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from assemblies.models import Member
from recommendations.models import AmendmentState, Comment
from tests.e2e.helpers import axe_violations, login_with_cookie, shot
from tests.factories import MemberFactory, UserFactory, WorkingGroupFactory, make_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
TEXT = (
    "The council should build **500 social homes** a year for the next ten years.\n\n"
    "At least a third of them should have three bedrooms or more, for families.\n\n"
    "New homes should be built near bus and train lines, shops and schools."
)


def _fits(page: Any) -> None:
    """The page fits a 320-px screen and passes the WCAG 2.1 AA audit (axe-core)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def test_a_member_comments_and_amends_on_a_phone_and_the_group_accepts(
    page: Any, live_server: Any, tenant: Any
) -> None:
    assembly = tenant.assembly
    writer = MemberFactory(
        assembly=assembly, user=UserFactory(username="wendy@example.org"), display_name="Wendy"
    )
    group = WorkingGroupFactory(assembly=assembly, name="Homes people can afford")
    group.members.add(writer)
    draft = make_draft(assembly, title="Build more social homes", text=TEXT, group=group)
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)

    # The member finds the draft from their assembly's page.
    page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    page.get_by_role("link", name="Recommendations").click()
    page.get_by_role("link", name="1. Build more social homes").click()
    expect(page.get_by_role("heading", name="1. Build more social homes")).to_be_visible()
    _fits(page)
    shot(page, "drafting-draft-320")

    # A comment on paragraph 2.
    page.get_by_role("link", name="Comment on paragraph 2").click()
    expect(page.get_by_role("heading", name="Comment on paragraph 2")).to_be_visible()
    page.get_by_role("textbox", name="Your comment").fill("Families wait longest: make it half.")
    _fits(page)
    shot(page, "drafting-comment-320")
    page.get_by_role("button", name="Publish my comment").click()
    expect(page.get_by_text("Thank you: your comment is published.")).to_be_visible()
    expect(page.get_by_text("Families wait longest: make it half.")).to_be_visible()
    assert Comment.objects.get().paragraph == 2

    # An amendment to the same paragraph.
    page.get_by_role("link", name="Propose a change to paragraph 2").click()
    box = page.get_by_role("textbox", name="Your text for this paragraph")
    expect(box).to_have_value("At least a third of them should have three bedrooms or more, for families.")
    box.fill("At least half of them should have three bedrooms or more, for families.")
    page.get_by_role("textbox", name="Why this change?").fill("Families wait longest.")
    _fits(page)
    page.get_by_role("button", name="Propose this change").click()
    expect(page.get_by_text("Your amendment is proposed.")).to_be_visible()
    expect(page.locator(".diff del").first).to_contain_text("a third")
    expect(page.locator(".diff ins").first).to_contain_text("half")
    _fits(page)
    shot(page, "drafting-amendment-320")

    # The working group accepts it.
    page.context.clear_cookies()
    login_with_cookie(page.context, live_server, writer.user)
    page.reload()
    page.get_by_role("button", name="Accept and merge").click()
    expect(
        page.get_by_text("The amendment is accepted and merged: the draft is now version 2.")
    ).to_be_visible()
    amendment = draft.amendments.get()
    assert amendment.state == AmendmentState.ACCEPTED

    # The history's diff shows it, crediting the member.
    page.get_by_role("link", name="Back to the draft").click()
    expect(page.get_by_text("At least half of them")).to_be_visible()
    page.get_by_role("link", name="History and changes").click()
    expect(page.get_by_text("Amendment by Alpha Member")).to_be_visible()
    expect(page.locator(".diff ins").first).to_contain_text("half")
    expect(page.locator(".diff del").first).to_contain_text("a third")
    _fits(page)
    shot(page, "drafting-history-320")
    assert Member.objects.filter(assembly=assembly).count() == 2


def test_two_editors_never_overwrite_each_other(page: Any, live_server: Any, tenant: Any) -> None:
    from recommendations.drafting import services

    assembly = tenant.assembly
    wendy = MemberFactory(
        assembly=assembly, user=UserFactory(username="wendy@example.org"), display_name="Wendy"
    )
    walter = MemberFactory(
        assembly=assembly, user=UserFactory(username="walter@example.org"), display_name="Walter"
    )
    group = WorkingGroupFactory(assembly=assembly, name="Homes")
    group.members.add(wendy, walter)
    draft = make_draft(assembly, title="Build more social homes", text=TEXT, group=group)
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, walter.user)
    page.goto(f"{live_server.url}/portal/{assembly.slug}/recommendations/{draft.number}/")
    page.get_by_role("link", name="Edit the draft").click()
    mine = TEXT.replace("500 social homes", "600 social homes")
    page.get_by_role("textbox", name="Recommendation").fill(mine)

    # Meanwhile Wendy saves her version.
    services.recommendation_save(
        recommendation=draft,
        data={"text": TEXT.replace("ten years", "twelve years")},
        base_version=1,
        by=wendy.user,
    )
    page.get_by_role("button", name="Save a new version").click()

    expect(
        page.get_by_role("heading", name="Someone else saved this draft while you were editing")
    ).to_be_visible()
    expect(page.get_by_text("Wendy has since saved version 2")).to_be_visible()
    expect(page.get_by_role("textbox", name="Recommendation")).to_have_value(mine)
    expect(page.locator(".conflict .diff ins").first).to_contain_text("twelve")
    _fits(page)
    shot(page, "drafting-conflict-320")
    draft.refresh_from_db()
    assert "twelve years" in draft.text and "500" in draft.text  # nothing overwritten

    page.get_by_role("button", name="Save a new version").click()  # knowingly, after reading
    expect(page.get_by_text("Saved as version 3.")).to_be_visible()
    draft.refresh_from_db()
    assert "600 social homes" in draft.text and draft.version == 3
