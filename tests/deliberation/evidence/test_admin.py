"""Organisers' side: speakers, topics and evidence in the admin (uploads
checked by content and size), and the balance screen's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assemblies.models import AuditEvent, Role
from deliberation.evidence import selectors
from deliberation.models import Evidence, SessionStatus, Stance
from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory, TopicFactory

from .conftest import PDF_BYTES, pdf, team_user

pytestmark = pytest.mark.django_db

ADD = "admin:deliberation_evidence_add"


def _form(assembly: Any, **extra: Any) -> dict[str, Any]:
    return {
        "assembly": assembly.pk,
        "title": "Bus study",
        "kind": "document",
        "summary": "",
        "url": "",
        **extra,
    }


def test_an_organiser_uploads_a_pdf_that_is_stored_privately(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    response = client.post(reverse(ADD), _form(tenant.assembly, upload=pdf("study.pdf")))
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    assert (evidence.file_name, evidence.size) == ("Bus_study.pdf", len(PDF_BYTES))
    assert AuditEvent.objects.filter(action="deliberation.evidence_added").exists()
    change = client.get(reverse("admin:deliberation_evidence_change", args=[evidence.pk])).content.decode()
    assert reverse("admin:deliberation_evidence_file", args=[evidence.pk]) in change
    assert "/media/" not in change


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", b"<!doctype html><p>hi</p>"], ids=["exe", "html"]
)
def test_a_renamed_file_is_refused_in_the_form(client: Any, tenant: Any, content: bytes) -> None:
    client.force_login(tenant.organiser)
    upload = SimpleUploadedFile("study.pdf", content, content_type="application/pdf")
    response = client.post(reverse(ADD), _form(tenant.assembly, upload=upload))
    assert response.status_code == 200
    assert "This file is not one of the accepted kinds (PDF," in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_too_large_is_refused_in_the_form(client: Any, tenant: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_MB = 1
    client.force_login(tenant.organiser)
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2_000_000)
    response = client.post(reverse(ADD), _form(tenant.assembly, upload=upload))
    assert "the largest accepted is 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_recording_needs_a_link_in_the_form(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    response = client.post(reverse(ADD), _form(tenant.assembly, kind="recording"))
    assert "A recording needs a link." in response.content.decode()


def test_a_viewer_reads_but_cannot_add_evidence(client: Any, tenant: Any) -> None:
    viewer = team_user(tenant, Role.VIEWER, "alpha-viewer")
    client.force_login(viewer)
    assert client.get(reverse("admin:deliberation_evidence_changelist")).status_code == 200
    assert client.post(reverse(ADD), _form(tenant.assembly, upload=pdf())).status_code == 403


def test_a_speakers_topic_must_be_of_the_same_assembly(client: Any, tenant: Any) -> None:
    client.force_login(tenant.organiser)
    other_topic = TopicFactory()  # another organisation's assembly: not even offered
    response = client.post(
        reverse("admin:deliberation_speaker_add"),
        {
            "assembly": tenant.assembly.pk,
            "name": "Ada",
            "kind": "expert",
            "topic": other_topic.pk,
            "stance": "for",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# --- balance --------------------------------------------------------------------------
@pytest.fixture
def programme(tenant: Any) -> dict[str, Any]:
    assembly = tenant.assembly
    now = timezone.now()
    held = SessionFactory(
        assembly=assembly, starts_at=now - dt.timedelta(days=14), ends_at=now - dt.timedelta(days=13)
    )
    coming = SessionFactory(
        assembly=assembly, starts_at=now + dt.timedelta(days=7), ends_at=now + dt.timedelta(days=8)
    )
    cancelled = SessionFactory(
        assembly=assembly,
        status=SessionStatus.CANCELLED,
        starts_at=now + dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=21),
    )
    charge = TopicFactory(assembly=assembly, name="Congestion charge", position=1)
    buses = TopicFactory(assembly=assembly, name="Buses", position=2)
    TopicFactory(assembly=assembly, name="Cycling", position=3)

    def speak(session: Any, topic: Any, stance: str, name: str) -> Any:
        speaker = SpeakerFactory(assembly=assembly, topic=topic, stance=stance, name=name)
        AgendaItemFactory(session=session).speakers.add(speaker)
        return speaker

    speak(held, charge, Stance.FOR, "Pro One")
    speak(coming, charge, Stance.FOR, "Pro Two")
    speak(coming, charge, Stance.INFORMING, "Neutral Analyst")
    speak(cancelled, charge, Stance.AGAINST, "Cancelled Critic")
    speak(held, buses, Stance.FOR, "Bus Fan")
    speak(coming, buses, Stance.AGAINST, "Bus Sceptic")
    SpeakerFactory(assembly=assembly, topic=buses, stance=Stance.MIXED, name="Not Yet Booked")
    return {"now": now}


def test_balance_counts_heard_and_scheduled_positions_per_topic(tenant: Any, programme: Any) -> None:
    charge, buses, cycling = selectors.balance(tenant.assembly, now=programme["now"])

    assert charge.counts == {"for": [1, 1], "informing": [0, 1]}  # the cancelled session does not count
    assert charge.warning == "Only speakers in favour are heard or scheduled on Congestion charge."
    assert buses.counts == {"for": [1, 0], "against": [0, 1]}
    assert buses.warning == ""
    assert [s.name for s in buses.unscheduled] == ["Not Yet Booked"]
    assert cycling.warning == "No speaker is heard or scheduled on Cycling yet."


def test_only_scheduled_on_one_side_is_said_so() -> None:
    from types import SimpleNamespace

    speaker = SimpleNamespace(stance=Stance.FOR)
    appearances = [SimpleNamespace(speaker=speaker, heard=False, scheduled=True)]
    assert (
        selectors._warning("Congestion charge", appearances)  # type: ignore[arg-type]
        == "Only speakers in favour are scheduled on Congestion charge."
    )


def test_the_balance_screen_shows_the_warning_and_is_404_for_other_tenants(
    client: Any, tenant: Any, other_tenant: Any, programme: Any
) -> None:
    url = reverse("admin:deliberation_speaker_balance", args=[tenant.assembly.pk])
    client.force_login(tenant.organiser)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Only speakers in favour are heard or scheduled on Congestion charge." in body
    assert "Bus Sceptic" in body and "Not Yet Booked" in body
    dashboard = client.get(reverse("admin:assemblies_assembly_dashboard", args=[tenant.assembly.pk]))
    assert url in dashboard.content.decode() and "Speakers and balance" in dashboard.content.decode()
    client.force_login(other_tenant.organiser)
    assert client.get(url).status_code == 404
    client.force_login(tenant.member)
    assert client.get(url).status_code in (302, 404)


def test_the_balance_screen_queries_do_not_grow_with_speakers(
    client: Any, tenant: Any, programme: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:deliberation_speaker_balance", args=[tenant.assembly.pk])
    client.force_login(tenant.organiser)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    session = SessionFactory(assembly=tenant.assembly)
    for _ in range(5):
        speaker = SpeakerFactory(assembly=tenant.assembly, topic=TopicFactory(assembly=tenant.assembly))
        AgendaItemFactory(session=session).speakers.add(speaker)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_speakers_page_lists_where_they_speak(client: Any, tenant: Any) -> None:
    speaker = SpeakerFactory(assembly=tenant.assembly)
    session = SessionFactory(assembly=tenant.assembly, title="Weekend 2")
    AgendaItemFactory(session=session, title="Transport panel").speakers.add(speaker)
    client.force_login(tenant.organiser)
    body = client.get(reverse("admin:deliberation_speaker_change", args=[speaker.pk])).content.decode()
    assert "Weekend 2 — Transport panel" in body


def test_the_warning_names_the_missing_side_and_speakers_count_once(client: Any, tenant: Any) -> None:
    assembly = tenant.assembly
    now = timezone.now()
    held = SessionFactory(
        assembly=assembly, starts_at=now - dt.timedelta(days=7), ends_at=now - dt.timedelta(days=6)
    )
    energy = TopicFactory(assembly=assembly, name="Energy and homes", position=1)
    heat = TopicFactory(assembly=assembly, name="Heat pumps", position=2)
    opening, panel = AgendaItemFactory(session=held, position=1), AgendaItemFactory(session=held, position=2)
    for stance, names in (
        (Stance.INFORMING, ["Analyst A", "Analyst B"]),
        (Stance.FOR, ["Pro A", "Pro B"]),
        (Stance.MIXED, ["Maybe A", "Maybe B"]),
    ):
        for name in names:
            opening.speakers.add(SpeakerFactory(assembly=assembly, topic=energy, stance=stance, name=name))
    panel.speakers.add(*opening.speakers.filter(name__in=["Pro A", "Analyst A"]))  # twice in one session
    panel.speakers.add(SpeakerFactory(assembly=assembly, topic=heat, stance=Stance.FOR, name="Heat Fan"))
    panel.speakers.add(
        SpeakerFactory(assembly=assembly, topic=heat, stance=Stance.INFORMING, name="Heat Expert")
    )

    topics = selectors.balance(assembly, now=now)
    assert topics[0].counts == {"informing": [2, 0], "for": [2, 0], "mixed": [2, 0]}
    assert (
        topics[0].warning == "No speaker against has been heard on Energy and homes, and none is scheduled."
    )
    # Informing takes no position: for is the only position heard.
    assert topics[1].warning == "Only speakers in favour have been heard on Heat pumps."

    client.force_login(tenant.organiser)
    body = client.get(reverse("admin:deliberation_speaker_balance", args=[assembly.pk])).content.decode()
    assert "Only speakers in favour have been heard on Energy and homes" not in body
    assert "No speaker against has been heard on Energy and homes" in body
    assert body.count(">Pro A</a>") == 1 and body.count(">Analyst A</a>") == 1


def test_against_without_for_is_said_the_other_way_round() -> None:
    from types import SimpleNamespace

    def seen(stance: str, heard: bool) -> Any:
        return SimpleNamespace(speaker=SimpleNamespace(stance=stance), heard=heard, scheduled=not heard)

    assert (
        selectors._warning("Buses", [seen(Stance.AGAINST, False), seen(Stance.MIXED, True)])  # type: ignore[list-item]
        == "No speaker in favour is scheduled on Buses."
    )
    assert selectors._warning("Buses", [seen(Stance.AGAINST, True), seen(Stance.FOR, False)]) == ""  # type: ignore[list-item]
