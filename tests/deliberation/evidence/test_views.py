"""Who gets an evidence file, the portal and public evidence pages, the
members' questions page and the facilitators' page, with the personas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assemblies.models import Member, Role
from deliberation.evidence import services
from deliberation.models import Evidence, Question, QuestionStatus
from tests.factories import (
    AgendaItemFactory,
    EvidenceFactory,
    MemberFactory,
    QuestionFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
)

from .conftest import PDF_BYTES, pdf, team_user

pytestmark = pytest.mark.django_db


def _evidence(assembly: Any, *, published: bool = False, title: str = "Traffic study") -> Evidence:
    item = AgendaItemFactory(session=SessionFactory(assembly=assembly), title="What the traffic data says")
    return services.evidence_save(
        evidence=Evidence(
            assembly=assembly,
            item=item,
            title=title,
            kind="document",
            is_published=published,
            summary="Cars.",
        ),
        upload=pdf(),
        by=services.SYSTEM,
    )


def _portal_file(e: Evidence) -> str:
    return reverse("portal:deliberation_evidence_file", args=[e.assembly.slug, e.pk])


def _public_file(e: Evidence) -> str:
    return reverse("deliberation:evidence_public_file", args=[e.assembly.slug, e.pk])


# --- serving ---------------------------------------------------------------------------
def test_the_urls_other_pages_link_to() -> None:
    assert reverse("portal:deliberation_evidence_file", args=["north", 7]) == "/portal/north/evidence/7/file/"
    assert (
        reverse("deliberation:evidence_public_file", args=["north", 7])
        == "/assemblies/north/evidence/7/file/"
    )


def test_a_member_downloads_their_assemblys_file(client: Any, tenant: Any) -> None:
    evidence = _evidence(tenant.assembly)
    client.force_login(tenant.member)
    response = client.get(_portal_file(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_member_of_another_assembly_gets_404(client: Any, tenant: Any, other_tenant: Any) -> None:
    evidence = _evidence(tenant.assembly, published=True)
    client.force_login(other_tenant.member)
    assert client.get(_portal_file(evidence)).status_code == 404
    # Their own assembly's slug with our id: still not theirs.
    url = reverse("portal:deliberation_evidence_file", args=[other_tenant.assembly.slug, evidence.pk])
    assert client.get(url).status_code == 404


def test_the_public_gets_only_published_files_of_a_public_assembly(client: Any, tenant: Any) -> None:
    hidden = _evidence(tenant.assembly)
    shown = _evidence(tenant.assembly, published=True)
    assert client.get(_public_file(hidden)).status_code == 404
    assert client.get(_public_file(shown)).status_code == 200
    tenant.assembly.is_public = False
    tenant.assembly.save()
    assert client.get(_public_file(shown)).status_code == 404


def test_organisers_download_in_the_admin_and_other_tenants_get_404(
    client: Any, tenant: Any, other_tenant: Any
) -> None:
    evidence = _evidence(tenant.assembly)
    url = reverse("admin:deliberation_evidence_file", args=[evidence.pk])
    client.force_login(tenant.organiser)
    assert client.get(url).status_code == 200
    client.force_login(other_tenant.organiser)
    assert client.get(url).status_code == 404


def test_a_file_is_never_under_a_public_url(tenant: Any) -> None:
    evidence = _evidence(tenant.assembly, published=True)
    from django.test import Client

    assert Client().get("/media/" + evidence.file.name).status_code == 404


# --- the evidence pages ------------------------------------------------------------------
def test_the_portal_lists_evidence_by_session_and_item(client: Any, tenant: Any) -> None:
    evidence = _evidence(tenant.assembly)
    recording = EvidenceFactory(
        assembly=tenant.assembly, kind="recording", url="https://video.example.org/talk", title="The talk"
    )
    client.force_login(tenant.member)
    response = client.get(reverse("portal:deliberation_evidence", args=[tenant.assembly.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert evidence.item.session.title in body
    assert "What the traffic data says" in body
    assert _portal_file(evidence) in body
    assert 'href="https://video.example.org/talk"' in body and "Watch or listen to the recording" in body
    assert "Further reading" in body and recording.title in body


def test_members_see_who_the_speakers_are_and_their_interests(client: Any, tenant: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    speaker = SpeakerFactory(
        assembly=tenant.assembly,
        name="Priya Nair",
        kind="stakeholder",
        organisation="Chamber of Commerce",
        position="No charge without better buses",
        interests="Funded by local businesses.",
    )
    AgendaItemFactory(session=session).speakers.add(speaker)
    SpeakerFactory(assembly=tenant.assembly, name="Not On The Agenda")
    client.force_login(tenant.member)
    body = client.get(reverse("portal:deliberation_evidence", args=[tenant.assembly.slug])).content.decode()
    assert "Priya Nair" in body and "Stakeholder · Chamber of Commerce" in body
    assert "Declared interests: Funded by local businesses." in body
    assert "No charge without better buses" in body
    assert "Not On The Agenda" not in body


def test_the_public_library_shows_only_published_items_and_the_assembly_page_links_to_it(
    client: Any, tenant: Any
) -> None:
    slug = tenant.assembly.slug
    assert (
        "Evidence library"
        not in client.get(reverse("assemblies:public-detail", args=[slug])).content.decode()
    )
    _evidence(tenant.assembly, title="Draft notes")
    shown = _evidence(tenant.assembly, published=True, title="Published study")
    body = client.get(reverse("deliberation:evidence_library", args=[slug])).content.decode()
    assert "Published study" in body and "Draft notes" not in body
    assert _public_file(shown) in body
    detail = client.get(reverse("assemblies:public-detail", args=[slug])).content.decode()
    assert reverse("deliberation:evidence_library", args=[slug]) in detail


def test_a_speaker_not_named_in_public_stays_unnamed_in_the_library(client: Any, tenant: Any) -> None:
    speaker = SpeakerFactory(assembly=tenant.assembly, name="Quiet Expert", is_public=False)
    EvidenceFactory(assembly=tenant.assembly, speaker=speaker, is_published=True, title="Their notes")
    body = client.get(reverse("deliberation:evidence_library", args=[tenant.assembly.slug])).content.decode()
    assert "Their notes" in body and "Quiet Expert" not in body


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["portal", "public"])
def test_evidence_lists_do_not_query_per_row(client: Any, tenant: Any, page: str) -> None:
    client.force_login(tenant.member)
    slug = tenant.assembly.slug
    url = (
        reverse("portal:deliberation_evidence", args=[slug])
        if page == "portal"
        else reverse("deliberation:evidence_library", args=[slug])
    )
    _evidence(tenant.assembly, published=True)
    few = _count(client, url)
    for n in range(5):
        _evidence(tenant.assembly, published=True, title=f"Study {n}")
        on_agenda = SpeakerFactory(assembly=tenant.assembly, topic=TopicFactory(assembly=tenant.assembly))
        AgendaItemFactory(session=SessionFactory(assembly=tenant.assembly)).speakers.add(on_agenda)
        EvidenceFactory(
            assembly=tenant.assembly, is_published=True, speaker=SpeakerFactory(assembly=tenant.assembly)
        )
    assert _count(client, url) == few <= 12


# --- members' questions --------------------------------------------------------------
def test_a_member_sends_a_question_and_sees_its_status(client: Any, tenant: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly, title="Weekend 3")
    speaker = SpeakerFactory(assembly=tenant.assembly, name="Dr Rivers")
    AgendaItemFactory(session=session).speakers.add(speaker)
    url = reverse("portal:deliberation_questions", args=[tenant.assembly.slug])
    client.force_login(tenant.member)
    page = client.get(url)
    key = page.context["form"].initial["client_key"]
    data = {
        "session": session.pk,
        "speaker": speaker.pk,
        "text": "Who pays for the buses?",
        "client_key": key,
    }

    response = client.post(url, data, follow=True)
    client.post(url, data)  # pressed twice: still one question

    assert Question.objects.count() == 1
    body = response.content.decode()
    assert "Your question is sent" in body
    assert "Who pays for the buses?" in body and "to Dr Rivers" in body and "Waiting" in body


def test_an_empty_question_says_what_is_wrong(client: Any, tenant: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    client.force_login(tenant.member)
    response = client.post(
        reverse("portal:deliberation_questions", args=[tenant.assembly.slug]),
        {"session": session.pk, "text": ""},
    )
    assert response.status_code == 400
    assert "Write your question." in response.content.decode()


def test_members_never_see_other_members_questions(client: Any, tenant: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    QuestionFactory(
        session=session, text="A neighbour's question", member=MemberFactory(assembly=tenant.assembly)
    )
    client.force_login(tenant.member)
    body = client.get(reverse("portal:deliberation_questions", args=[tenant.assembly.slug])).content.decode()
    assert "A neighbour's question" not in body


def test_questions_page_is_404_for_another_assemblys_member(
    client: Any, tenant: Any, other_tenant: Any
) -> None:
    client.force_login(other_tenant.member)
    assert (
        client.get(reverse("portal:deliberation_questions", args=[tenant.assembly.slug])).status_code == 404
    )


# --- the facilitators' page -------------------------------------------------------------
def _facilitate_url(assembly: Any) -> str:
    return reverse("portal:deliberation_facilitate_questions", args=[assembly.slug])


def test_facilitators_of_another_assembly_and_members_get_404(
    client: Any, tenant: Any, other_tenant: Any, other_facilitator: Any
) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    question = QuestionFactory(session=session)
    url = _facilitate_url(tenant.assembly)
    for who in (other_facilitator, tenant.member, other_tenant.organiser):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"session": session.pk, "question": question.pk, "action": "hidden"}).status_code
            == 404
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING
    # Their own page with our session's id: 404 too.
    client.force_login(other_facilitator)
    other_url = _facilitate_url(other_tenant.assembly)
    assert client.get(other_url, {"session": session.pk}).status_code == 404
    assert (
        client.post(other_url, {"session": session.pk, "question": question.pk, "action": "up"}).status_code
        == 404
    )


def test_a_facilitator_merges_orders_and_answers_without_seeing_names(
    client: Any, tenant: Any, facilitator: Any
) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    first = QuestionFactory(session=session, text="How much will it cost?", order=1)
    second = QuestionFactory(session=session, text="What does it cost?", order=2)
    third = QuestionFactory(session=session, text="Who decides?", order=3)
    url = _facilitate_url(tenant.assembly)
    client.force_login(facilitator)

    client.post(url, {"session": session.pk, "question": second.pk, "into": first.pk, "action": "merge"})
    client.post(url, {"session": session.pk, "question": third.pk, "action": "up"})
    response = client.get(url, {"session": session.pk})

    body = response.content.decode()
    assert body.index("Who decides?") < body.index("How much will it cost?")
    assert "Asked by 2 members" in body
    assert first.member.display_name not in body and second.member.display_name not in body
    client.post(url, {"session": session.pk, "question": third.pk, "action": "answered"})
    third.refresh_from_db()
    assert third.status == QuestionStatus.ANSWERED


def test_the_facilitators_page_picks_the_next_session(client: Any, tenant: Any, facilitator: Any) -> None:
    past = SessionFactory(
        assembly=tenant.assembly,
        title="Held weekend",
        starts_at=timezone.now() - dt.timedelta(days=9),
        ends_at=timezone.now() - dt.timedelta(days=9, hours=-6),
    )
    upcoming = SessionFactory(assembly=tenant.assembly, title="Next weekend")
    QuestionFactory(session=past, text="Old question")
    QuestionFactory(session=upcoming, text="New question")
    client.force_login(facilitator)
    body = client.get(_facilitate_url(tenant.assembly)).content.decode()
    assert "New question" in body and "Old question" not in body


def test_a_facilitator_who_is_a_member_sees_the_link_on_the_portal(client: Any, tenant: Any) -> None:
    user = team_user(tenant, Role.FACILITATOR, "alpha-facilitating-member")
    MemberFactory(assembly=tenant.assembly, user=user)
    client.force_login(user)
    body = client.get(reverse("portal:assembly", args=[tenant.assembly.slug])).content.decode()
    assert _facilitate_url(tenant.assembly) in body
    client.force_login(tenant.member)
    body = client.get(reverse("portal:assembly", args=[tenant.assembly.slug])).content.decode()
    assert _facilitate_url(tenant.assembly) not in body
    assert reverse("portal:deliberation_evidence", args=[tenant.assembly.slug]) in body


def test_question_pages_do_not_query_per_question(client: Any, tenant: Any, facilitator: Any) -> None:
    session = SessionFactory(assembly=tenant.assembly)
    mine = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    speaker = SpeakerFactory(assembly=tenant.assembly)
    member_url = reverse("portal:deliberation_questions", args=[tenant.assembly.slug])
    facilitator_url = _facilitate_url(tenant.assembly) + f"?session={session.pk}"

    def add() -> None:
        kept = QuestionFactory(session=session, member=mine, speaker=speaker)
        QuestionFactory(session=session, merged_into=kept)

    add()
    client.force_login(tenant.member)
    few_member = _count(client, member_url)
    client.force_login(facilitator)
    few_facilitator = _count(client, facilitator_url)
    for _ in range(5):
        add()
    client.force_login(tenant.member)
    assert _count(client, member_url) == few_member <= 15
    client.force_login(facilitator)
    assert _count(client, facilitator_url) == few_facilitator <= 15
