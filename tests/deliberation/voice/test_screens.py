"""Organiser screens: write, preview and send an announcement; its letters;
concerns and the code of conduct. Another assembly's rows are a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import Member, Role
from deliberation.models import Announcement, AssemblyCare, Concern
from deliberation.voice import services
from deliberation.voice.letters import letters_html
from notifications.models import OutboxMessage
from reports.pdf import render_document
from tests.factories import MemberFactory, SessionFactory

from .conftest import role_user

pytestmark = pytest.mark.django_db

FORM = {"audience": "all", "subject_en": "Packed lunch", "body_en": "The café is closed."}


def new_url(assembly: Any) -> str:
    return reverse("admin:deliberation_announcement_new", args=[assembly.pk])


def test_preview_counts_recipients_and_sends_nothing(
    organiser_client: Any, tenant: Any, bilingual: Any
) -> None:
    data = {**FORM, "subject_fr": "Repas", "body_fr": "La cafétéria est fermée.", "action": "preview"}
    response = organiser_client.post(new_url(tenant.assembly), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "This announcement will reach 3 members" in body
    assert "2 by email" in body and "1 by printed letter" in body
    assert "La cafétéria est fermée." in body and "Send now" in body
    assert not OutboxMessage.objects.exists() and not Announcement.objects.exists()


def test_send_then_the_list_and_the_letters(organiser_client: Any, tenant: Any, bilingual: Any) -> None:
    response = organiser_client.post(new_url(tenant.assembly), {**FORM, "action": "send"})

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:deliberation_announcement_detail", args=[announcement.pk])
    assert OutboxMessage.objects.count() == 2
    listing = organiser_client.get(
        reverse("admin:deliberation_announcement_assembly", args=[tenant.assembly.pk])
    )
    assert "Packed lunch" in listing.content.decode()
    letters = organiser_client.get(reverse("admin:deliberation_announcement_letters", args=[announcement.pk]))
    assert letters.status_code == 200 and letters["Content-Type"] == "application/pdf"
    assert letters.content.startswith(b"%PDF")


def test_one_letter_page_per_member_without_email(tenant: Any) -> None:
    for n in range(3):
        MemberFactory(assembly=tenant.assembly, user__username=f"post{n}", user__email="")
    announcement = services.announcement_send(
        assembly=tenant.assembly,
        audience="all",
        subjects={"en": "S"},
        bodies={"en": "B"},
        by=tenant.organiser,
    )
    client = Client()
    client.force_login(tenant.organiser)
    response = client.get(reverse("admin:deliberation_announcement_letters", args=[announcement.pk]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = letters_html(announcement)
    assert html is not None and len(render_document(html).pages) == 3


def test_bad_input_names_the_field_and_keeps_the_rest(organiser_client: Any, tenant: Any) -> None:
    response = organiser_client.post(
        new_url(tenant.assembly),
        {"audience": "session", "subject_en": "Kept", "body_en": "", "action": "send"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the session whose members receive it." in body
    assert 'value="Kept"' in body
    assert not Announcement.objects.exists()


def test_a_session_of_another_assembly_is_refused(
    organiser_client: Any, tenant: Any, other_tenant: Any
) -> None:
    foreign = SessionFactory(assembly=other_tenant.assembly)
    response = organiser_client.post(
        new_url(tenant.assembly), {**FORM, "audience": "session", "session": foreign.pk, "action": "send"}
    )
    assert response.status_code == 200 and not Announcement.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_viewers_and_facilitators_may_not_send(client: Any, tenant: Any, role: str) -> None:
    client.force_login(role_user(tenant, role))
    assert client.get(new_url(tenant.assembly)).status_code == 403
    assert client.post(new_url(tenant.assembly), {**FORM, "action": "send"}).status_code == 403
    concerns = reverse("admin:deliberation_concern_assembly", args=[tenant.assembly.pk])
    assert client.get(concerns).status_code == 403


def test_another_assemblys_announcements_and_concerns_are_404(
    client: Any, tenant: Any, other_tenant: Any
) -> None:
    announcement = services.announcement_send(
        assembly=tenant.assembly,
        audience="all",
        subjects={"en": "S"},
        bodies={"en": "B"},
        by=tenant.organiser,
    )
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    concern = services.concern_raise(member=member, text="Worry", by=SYSTEM)
    client.force_login(other_tenant.organiser)
    for url in (
        new_url(tenant.assembly),
        reverse("admin:deliberation_announcement_detail", args=[announcement.pk]),
        reverse("admin:deliberation_announcement_letters", args=[announcement.pk]),
        reverse("admin:deliberation_concern_assembly", args=[tenant.assembly.pk]),
        reverse("admin:deliberation_concern_detail", args=[concern.pk]),
        reverse("admin:deliberation_concern_care", args=[tenant.assembly.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("admin:deliberation_concern_detail", args=[concern.pk]), {"status": "closed"}
        ).status_code
        == 404
    )
    assert Concern.objects.get().status == "open"


def test_organisers_handle_a_concern(organiser_client: Any, tenant: Any) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    concern = services.concern_raise(member=member, text="Someone shouted", by=SYSTEM)
    url = reverse("admin:deliberation_concern_detail", args=[concern.pk])

    assert "Someone shouted" in organiser_client.get(url).content.decode()
    response = organiser_client.post(url, {"status": "acknowledged", "note": "We are on it."})

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.note) == ("acknowledged", "We are on it.")
    bad = organiser_client.post(url, {"status": "lost"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_organisers_write_the_code_of_conduct(organiser_client: Any, tenant: Any) -> None:
    url = reverse("admin:deliberation_concern_care", args=[tenant.assembly.pk])
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.post(
        url, {"code_of_conduct": "Be kind.", "safeguarding_contacts": "Jo, 0123"}
    )
    assert response.status_code == 302
    assert AssemblyCare.objects.get(assembly=tenant.assembly).code_of_conduct == "Be kind."


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_announcement_list_does_not_query_per_row(organiser_client: Any, tenant: Any) -> None:
    url = reverse("admin:deliberation_announcement_assembly", args=[tenant.assembly.pk])
    session = SessionFactory(assembly=tenant.assembly)

    def add() -> None:
        services.announcement_send(
            assembly=tenant.assembly, audience="session", session=session,
            subjects={"en": "S"}, bodies={"en": "B"}, by=tenant.organiser,
        )  # fmt: skip

    add()
    few = _queries(organiser_client, url)
    for _ in range(5):
        add()
    assert _queries(organiser_client, url) == few <= 20


def test_the_concern_list_does_not_query_per_row(organiser_client: Any, tenant: Any) -> None:
    url = reverse("admin:deliberation_concern_assembly", args=[tenant.assembly.pk])

    def add() -> None:
        member = MemberFactory(assembly=tenant.assembly)
        concern = services.concern_raise(member=member, text="Worry", by=SYSTEM)
        services.concern_update(concern=concern, status="acknowledged", note="", by=tenant.organiser)

    add()
    few = _queries(organiser_client, url)
    for _ in range(5):
        add()
    assert _queries(organiser_client, url) == few <= 20


def test_the_dashboard_counts_concerns_without_their_text(organiser_client: Any, tenant: Any) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    services.concern_raise(member=member, text="A very private worry", by=SYSTEM)

    body = organiser_client.get(
        reverse("admin:assemblies_assembly_dashboard", args=[tenant.assembly.pk])
    ).content.decode()

    assert "Members&#x27; voice" in body or "Members' voice" in body
    assert "Concerns not yet read" in body and "A very private worry" not in body
    assert reverse("admin:deliberation_concern_assembly", args=[tenant.assembly.pk]) in body


def test_an_organiser_writes_to_one_table(organiser_client: Any, tenant: Any) -> None:
    from deliberation.models import PlanTable, Seat, TablePlan

    session = SessionFactory(assembly=tenant.assembly, title="Weekend 2")
    plan = TablePlan.objects.create(session=session, rounds=1, table_count=1)
    table = PlanTable.objects.create(plan=plan, number=4)
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    Seat.objects.create(plan=plan, round=1, table=table, member=member)
    MemberFactory(assembly=tenant.assembly)  # not at the table

    form = organiser_client.get(new_url(tenant.assembly)).content.decode()
    assert "Weekend 2 · Table 4" in form
    data = {**FORM, "audience": "table", "table": table.pk}
    preview = organiser_client.post(new_url(tenant.assembly), {**data, "action": "preview"}).content.decode()
    assert "This announcement will reach 1 member" in preview
    organiser_client.post(new_url(tenant.assembly), {**data, "action": "send"})
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["alpha-member@example.org"]
