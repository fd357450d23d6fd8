"""Members' questions in the browser: a member on a 320-px phone sends a
question; a facilitator merges two duplicates and puts them in order."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from assemblies.models import Member, Role
from deliberation.models import Question, QuestionStatus
from tests.e2e.helpers import axe_violations, login_with_cookie, shot
from tests.factories import (
    AgendaItemFactory,
    EvidenceFactory,
    MemberFactory,
    QuestionFactory,
    SessionFactory,
    SpeakerFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _fits(page: Any) -> None:
    """The page fits a 320-px screen and passes the WCAG 2.1 AA audit (axe-core)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{page.url} is {width}px wide"
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)


def test_a_member_sends_a_question_from_a_320px_phone(page: Any, live_server: Any, tenant: Any) -> None:
    assembly = tenant.assembly
    session = SessionFactory(assembly=assembly, title="Weekend 3: transport")
    speaker = SpeakerFactory(assembly=assembly, name="Dr Amina Rivers", organisation="Northshire Buses")
    AgendaItemFactory(session=session, title="Buses and trams").speakers.add(speaker)
    EvidenceFactory(
        assembly=assembly,
        item=session.items.first(),
        title="Bus use in Northshire, 2015 to 2025",
        summary="Fewer people take the bus outside the towns. Fares rose faster than wages.",
    )
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, tenant.member)

    page.goto(f"{live_server.url}/portal/{assembly.slug}/")
    page.get_by_role("link", name="What to read and watch").click()
    expect(page.get_by_role("heading", name="Bus use in Northshire, 2015 to 2025")).to_be_visible()
    _fits(page)
    shot(page, "evidence-portal-320")

    page.get_by_role("link", name="Ask the speakers a question").click()
    expect(page.get_by_label("Session")).to_contain_text(session.title)  # the only session to come
    page.get_by_label("To which speaker? (optional)").select_option(label="Dr Amina Rivers")
    text = "Would a cheaper fare bring people back to the bus?"
    page.get_by_role("textbox", name="Your question").fill(text)
    _fits(page)
    shot(page, "questions-form-320")
    page.get_by_role("textbox", name="Your question").fill("")
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("Write your question.").first).to_be_visible()
    _fits(page)
    page.get_by_role("textbox", name="Your question").fill(text)
    page.get_by_role("button", name="Send my question").click()

    expect(page.get_by_text("Your question is sent.")).to_be_visible()
    expect(page.get_by_text("Would a cheaper fare bring people back to the bus?")).to_be_visible()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    _fits(page)
    shot(page, "questions-sent-320")
    question = Question.objects.get()
    assert (question.session, question.speaker, question.member.user) == (session, speaker, tenant.member)

    # The public library, once something is published.
    EvidenceFactory(
        assembly=assembly, item=session.items.first(), title="Published briefing", is_published=True
    )
    page.goto(f"{live_server.url}/assemblies/{assembly.slug}/")
    page.get_by_role("link", name="Evidence library").click()
    expect(page.get_by_role("heading", name="Published briefing")).to_be_visible()
    expect(page.get_by_text("Bus use in Northshire")).to_have_count(0)
    _fits(page)
    shot(page, "evidence-library-320")


def test_a_facilitator_merges_two_questions_and_orders_them(page: Any, live_server: Any, tenant: Any) -> None:
    assembly = tenant.assembly
    facilitator = UserFactory(username="alpha-facilitator@example.org")
    TeamMembershipFactory(team=tenant.team, user=facilitator, role=Role.FACILITATOR)
    session = SessionFactory(assembly=assembly, title="Weekend 3: transport")
    me = Member.objects.get(assembly=assembly, user=tenant.member)
    cost = QuestionFactory(
        session=session, member=me, text="How much would the charge cost a family?", order=1
    )
    same = QuestionFactory(
        session=session, member=MemberFactory(assembly=assembly), text="What would a family pay?", order=2
    )
    who = QuestionFactory(
        session=session,
        member=MemberFactory(assembly=assembly),
        text="Who decides where the money goes?",
        order=3,
    )
    page.set_viewport_size(NARROW)
    login_with_cookie(page.context, live_server, facilitator)

    page.goto(f"{live_server.url}/portal/{assembly.slug}/facilitate/questions/")
    expect(page.get_by_role("heading", name="3 questions to ask")).to_be_visible()
    _fits(page)
    shot(page, "facilitate-before-320")

    card = page.locator(f"#q{same.pk}")
    card.get_by_label("Same as").select_option(str(cost.pk))
    card.get_by_role("button", name="Merge").click()
    expect(page.get_by_text("Merged: the two questions are now one.")).to_be_visible()
    expect(page.locator(f"#q{cost.pk}")).to_contain_text("Asked by 2 members")
    expect(page.get_by_role("heading", name="2 questions to ask")).to_be_visible()

    page.locator(f"#q{who.pk}").get_by_role("button", name="Move up").click()
    cards = page.locator(".question-queue > li")
    expect(cards.first).to_contain_text("Who decides where the money goes?")
    expect(cards.nth(1)).to_contain_text("How much would the charge cost a family?")
    page.locator(f"#q{who.pk}").get_by_role("button", name="Choose").click()
    _fits(page)
    shot(page, "facilitate-after-320")
    # No member's name on the facilitator's page.
    for member in Member.objects.filter(assembly=assembly):
        expect(page.locator("main")).not_to_contain_text(member.display_name)

    same.refresh_from_db()
    who.refresh_from_db()
    assert same.merged_into_id == cost.pk
    assert who.status == QuestionStatus.CHOSEN
    assert list(Question.objects.filter(merged_into=None).order_by("order").values_list("pk", flat=True)) == [
        who.pk,
        cost.pk,
    ]


def test_an_organiser_uploads_evidence_and_sees_a_one_sided_topic(
    page: Any, live_server: Any, tenant: Any, settings: Any, tmp_path: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from deliberation.models import Evidence, Stance
    from tests.factories import TopicFactory

    settings.PLENARY_REQUIRE_ORGANISER_MFA = False
    assembly = tenant.assembly
    session = SessionFactory(assembly=assembly, starts_at=timezone.now() + dt.timedelta(days=7))
    item = AgendaItemFactory(session=session, title="The congestion charge")
    topic = TopicFactory(assembly=assembly, name="Congestion charge")
    item.speakers.add(
        SpeakerFactory(
            assembly=assembly, topic=topic, stance=Stance.FOR, name="Tom Reeve", position="Charge it"
        )
    )
    login_with_cookie(page.context, live_server, tenant.organiser)

    page.goto(f"{live_server.url}/admin/assemblies/assembly/{assembly.pk}/dashboard/")
    page.get_by_role("link", name="Speakers and balance").click()
    expect(page.get_by_text("Only speakers in favour are scheduled on Congestion charge.")).to_be_visible()
    shot(page, "evidence-balance")

    fake = tmp_path / "briefing.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    good = tmp_path / "real.pdf"
    good.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.goto(f"{live_server.url}/admin/deliberation/evidence/add/")
    page.get_by_label("Assembly").select_option(str(assembly.pk))
    page.get_by_label("Title").fill("Congestion charges elsewhere")
    page.locator("#id_upload").set_input_files(str(fake))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("This file is not one of the accepted kinds")).to_be_visible()
    shot(page, "evidence-upload-refused")
    page.locator("#id_upload").set_input_files(str(good))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    evidence = Evidence.objects.get()
    assert (evidence.file_name, evidence.content_type) == (
        "Congestion_charges_elsewhere.pdf",
        "application/pdf",
    )
