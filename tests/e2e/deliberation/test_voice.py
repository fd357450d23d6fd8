"""Members' voice in the browser: a member raises a concern from a 320-px
phone; an organiser previews and sends an announcement, which lands in the
outbox in each member's language."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from assemblies.models import Member
from deliberation.models import Concern
from deliberation.voice import services
from notifications.models import OutboxMessage
from tests.e2e.helpers import axe_violations, login_with_cookie, shot
from tests.factories import MemberFactory, RespondentFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def test_a_member_raises_a_concern_from_a_320px_phone(page: Any, live_server: Any, tenant: Any) -> None:
    assembly = tenant.assembly
    services.care_update(
        assembly=assembly,
        code_of_conduct="We listen to each other and let everyone finish.",
        safeguarding_contacts="Joanne Price, safeguarding lead: 01632 960 123",
        by=tenant.organiser,
    )
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)

    page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    page.get_by_role("link", name="Raise a concern privately").click()
    expect(page.get_by_role("heading", name="Our code of conduct")).to_be_visible()
    expect(page.get_by_text("Joanne Price, safeguarding lead: 01632 960 123")).to_be_visible()
    _fits(page)
    shot(page, "voice-concern-320")

    page.get_by_role("button", name="Send to the organisers").click()  # empty: refused, with a message
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    page.get_by_label("What concerns you?").fill("At my table one person kept talking over everyone.")
    page.get_by_role("button", name="Send to the organisers").click()

    expect(page.get_by_text("Your concern has reached the organisers")).to_be_visible()
    expect(page.get_by_text("Sent, not yet read")).to_be_visible()
    _fits(page)
    shot(page, "voice-concern-sent-320")
    concern = Concern.objects.get()
    assert concern.member == Member.objects.get(assembly=assembly, user=tenant.member)


def test_an_organiser_sends_an_announcement_in_each_members_language(
    page: Any, live_server: Any, tenant: Any
) -> None:
    assembly = tenant.assembly
    assembly.languages = ["en", "fr"]
    assembly.save(update_fields=["languages"])
    french = MemberFactory(
        assembly=assembly, user=UserFactory(username="amelie@example.org"), display_name="Amélie"
    )
    RespondentFactory(assembly=assembly, member=french, language="fr", email="amelie@example.org")
    login_with_cookie(page.context, live_server, tenant.organiser)

    page.goto(f"{live_server.url}/admin/deliberation/announcement/assembly/{assembly.pk}/")
    page.get_by_role("link", name="Write an announcement").click()
    page.get_by_label("Subject (English)").fill("Bring a packed lunch")
    page.get_by_label("Message (English)").fill("The café is closed on Saturday.")
    page.get_by_label("Subject (French)").fill("Apportez un repas")
    page.get_by_label("Message (French)").fill("La cafétéria est fermée samedi.")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("status")).to_contain_text("This announcement will reach 2 members")
    assert not OutboxMessage.objects.exists()
    shot(page, "voice-announcement-preview")
    page.get_by_role("button", name="Send now").click()

    expect(page.get_by_text("2 emails queued in the outbox.")).to_be_visible()
    shot(page, "voice-announcement-sent")
    sent = {m.recipient: m for m in OutboxMessage.objects.all()}
    assert sent["amelie@example.org"].language == "fr"
    assert "Apportez un repas" in sent["amelie@example.org"].subject
    assert "La cafétéria est fermée samedi." in sent["amelie@example.org"].body_text
    assert "Bring a packed lunch" in sent["alpha-member@example.org"].subject


def test_a_facilitator_finds_their_sessions_from_the_portal_home(
    page: Any, live_server: Any, tenant: Any
) -> None:
    from assemblies.models import Role
    from tests.factories import AgendaItemFactory, SessionFactory, TeamMembershipFactory

    facilitator = UserFactory(username="fatima@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role=Role.FACILITATOR, assembly=tenant.assembly)
    session = SessionFactory(assembly=tenant.assembly, title="Weekend 3: Transport and land")
    AgendaItemFactory(session=session, kind="tables", title="Tables").facilitators.add(facilitator)
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, facilitator)

    page.goto(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", name="Assemblies you help run")).to_be_visible()
    _fits(page)
    shot(page, "voice-facilitator-portal-home-320")
    page.get_by_role("link", name="Facilitate: sessions, check-in, tables, questions").click()

    expect(page.get_by_role("heading", name="Weekend 3: Transport and land")).to_be_visible()
    expect(page.get_by_text("You facilitate part of this session")).to_be_visible()
    _fits(page)
    shot(page, "voice-facilitator-home-320")


def test_an_organiser_acknowledges_a_concern_with_a_note(page: Any, live_server: Any, tenant: Any) -> None:
    from assemblies.actors import SYSTEM

    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    concern = services.concern_raise(member=member, text="My table talks over me.", by=SYSTEM)
    login_with_cookie(page.context, live_server, tenant.organiser)

    page.goto(f"{live_server.url}/admin/assemblies/assembly/{tenant.assembly.pk}/dashboard/")
    page.get_by_role("link", name="Members' concerns and code of conduct").click()
    expect(page.get_by_role("cell", name="Sent, not yet read")).to_be_visible()
    page.locator(f'a[href="/admin/deliberation/concern/{concern.pk}/"]').click()
    expect(page.get_by_text("My table talks over me.")).to_be_visible()
    page.get_by_label("Status").select_option("acknowledged")
    page.get_by_label("Note to the member").fill("Thank you. We will speak to the facilitator.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved. The member sees the new status.")).to_be_visible()
    shot(page, "voice-concerns-list")
    concern.refresh_from_db()
    assert (concern.status, concern.note) == ("acknowledged", "Thank you. We will speak to the facilitator.")
