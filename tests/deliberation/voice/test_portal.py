"""Members' pages (concerns, messages) and the facilitator's home, with the personas."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import Member
from deliberation.models import Concern
from deliberation.voice import services
from tests.factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db


def concern_url(assembly: Any) -> str:
    return reverse("portal:deliberation_concern", kwargs={"slug": assembly.slug})


def test_a_member_reads_the_code_of_conduct_and_raises_a_concern(member_client: Any, tenant: Any) -> None:
    services.care_update(
        assembly=tenant.assembly,
        code_of_conduct="We let everyone finish.",
        safeguarding_contacts="Jo Price, safeguarding lead, 01632 960123",
        by=tenant.organiser,
    )
    page = member_client.get(concern_url(tenant.assembly)).content.decode()
    assert "We let everyone finish." in page and "Jo Price, safeguarding lead, 01632 960123" in page
    assert "You have not raised any concern." in page

    response = member_client.post(
        concern_url(tenant.assembly), {"text": "My table talks over me."}, follow=True
    )

    body = response.content.decode()
    assert "Your concern has reached the organisers" in body
    assert "My table talks over me." in body and "Sent, not yet read" in body
    concern = Concern.objects.get()
    services.concern_update(concern=concern, status="closed", note="We spoke to them.", by=tenant.organiser)
    body = member_client.get(concern_url(tenant.assembly)).content.decode()
    assert "Closed" in body and "We spoke to them." in body


def test_an_empty_concern_is_refused_with_a_message(member_client: Any, tenant: Any) -> None:
    response = member_client.post(concern_url(tenant.assembly), {"text": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Concern.objects.exists()


def test_members_see_only_their_own_concerns(client: Any, tenant: Any, other_tenant: Any) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    services.concern_raise(member=member, text="Alpha's private worry", by=SYSTEM)
    client.force_login(other_tenant.member)
    assert client.get(concern_url(tenant.assembly)).status_code == 404
    own = client.get(concern_url(other_tenant.assembly)).content.decode()
    assert "Alpha's private worry" not in own


def test_members_read_the_announcements_sent_to_them(
    member_client: Any, tenant: Any, other_tenant: Any
) -> None:
    services.announcement_send(
        assembly=tenant.assembly, audience="all", subjects={"en": "For alpha"}, bodies={"en": "Hello."},
        by=tenant.organiser,
    )  # fmt: skip
    services.announcement_send(
        assembly=other_tenant.assembly, audience="all", subjects={"en": "For beta"}, bodies={"en": "Hi."},
        by=other_tenant.organiser,
    )  # fmt: skip
    url = reverse("portal:deliberation_announcements", kwargs={"slug": tenant.assembly.slug})
    body = member_client.get(url).content.decode()
    assert "For alpha" in body and "For beta" not in body
    other = reverse("portal:deliberation_announcements", kwargs={"slug": other_tenant.assembly.slug})
    assert member_client.get(other).status_code == 404
    assert (
        member_client.get(reverse("portal:deliberation_my_data", kwargs={"slug": "beta-climate"})).status_code
        == 404
    )


def test_the_portal_page_links_to_voice_pages(member_client: Any, tenant: Any) -> None:
    body = member_client.get(
        reverse("portal:assembly", kwargs={"slug": tenant.assembly.slug})
    ).content.decode()
    assert "Raise a concern privately" in body and "Download my data" in body
    assert "Messages from the organisers" in body


def test_a_facilitator_finds_their_sessions_from_the_portal(
    client: Any, tenant: Any, facilitator: Any
) -> None:
    session = SessionFactory(assembly=tenant.assembly, title="Weekend 3: Transport")
    AgendaItemFactory(session=session, kind="tables").facilitators.add(facilitator)
    SessionFactory(assembly=tenant.assembly, title="Weekend 4: Deciding")
    client.force_login(facilitator)

    home = client.get(reverse("portal:home")).content.decode()
    url = reverse("portal:deliberation_facilitate", kwargs={"slug": tenant.assembly.slug})
    assert "Assemblies you help run" in home and url in home
    assert "You are not a member of any assembly yet" not in home

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Weekend 3: Transport" in body and "Weekend 4: Deciding" in body
    assert body.count("You facilitate part of this session") == 1
    # The other parts' phone screens, once they exist: check-in per session, questions once.
    from django.urls import NoReverseMatch

    try:
        checkin = reverse(
            "portal:deliberation_checkin", kwargs={"slug": tenant.assembly.slug, "session_pk": session.pk}
        )
    except NoReverseMatch:
        checkin = None
    if checkin is not None:
        assert f'href="{checkin}"' in body


def test_the_facilitator_home_is_404_for_everyone_else(
    client: Any, tenant: Any, other_tenant: Any, facilitator: Any
) -> None:
    url = reverse("portal:deliberation_facilitate", kwargs={"slug": tenant.assembly.slug})
    for user in (tenant.member, other_tenant.organiser, other_tenant.member):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(facilitator)
    other = reverse("portal:deliberation_facilitate", kwargs={"slug": other_tenant.assembly.slug})
    assert client.get(other).status_code == 404


def test_the_concern_box_has_a_label_and_the_page_a_heading(member_client: Any, tenant: Any) -> None:
    body = member_client.get(concern_url(tenant.assembly)).content.decode()
    assert '<label for="id_text">' in body and "<h1>" in body
