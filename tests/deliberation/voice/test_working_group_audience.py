"""An announcement to one working group (a kind of group recommendations adds
through deliberation.voice.audiences): the preview counts its members, sending
reaches exactly its active members in their language, another assembly's group
is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assemblies.models import MemberStatus
from deliberation.models import Announcement, AnnouncementRecipient, Audience
from deliberation.voice import audiences, selectors, services
from notifications.models import OutboxMessage
from tests.factories import MemberFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

FORM = {"subject_en": "Transport group", "body_en": "We meet at ten.", "subject_fr": "Groupe transport"}


def new_url(assembly: Any) -> str:
    return reverse("admin:deliberation_announcement_new", args=[assembly.pk])


@pytest.fixture
def group(tenant: Any, bilingual: Any) -> Any:
    """Transport: Amélie (French) and Post Only (no email), plus a withdrawn member.
    The tenant's own member is in another group."""
    transport: Any = WorkingGroupFactory(assembly=tenant.assembly, name="Transport")
    withdrawn = MemberFactory(
        assembly=tenant.assembly, user=UserFactory(username="gone@example.org"), status=MemberStatus.WITHDRAWN
    )
    transport.members.add(bilingual["french"], bilingual["no_email"], withdrawn)
    housing: Any = WorkingGroupFactory(assembly=tenant.assembly, name="Housing")
    housing.members.add(bilingual["member"])
    return transport


def test_the_working_group_kind_is_registered_by_recommendations() -> None:
    extra = audiences.get("working_group")
    assert extra is not None and str(extra.label) == "The members of a working group"


def test_service_reaches_only_the_groups_active_members_in_their_language(
    tenant: Any, bilingual: Any, group: Any
) -> None:
    announcement = services.announcement_send(
        assembly=tenant.assembly,
        audience=Audience.GROUP,
        group_key="working_group",
        group_id=group.pk,
        subjects={"en": "Transport group", "fr": "Groupe transport"},
        bodies={"en": "We meet at ten."},
        by=tenant.organiser,
    )

    recipients = {r.member_id: (r.delivery, r.language) for r in AnnouncementRecipient.objects.all()}
    assert recipients == {
        bilingual["french"].pk: ("email", "fr"),
        bilingual["no_email"].pk: ("letter", "en"),
    }
    outbox = OutboxMessage.objects.get()
    assert outbox.recipient == "amelie@example.org" and outbox.language == "fr"
    assert "Groupe transport" in outbox.subject and "We meet at ten." in outbox.body_text
    announcement.refresh_from_db()
    assert (announcement.audience, announcement.group_key, announcement.group_id) == (
        "group",
        "working_group",
        group.pk,
    )
    assert announcement.group_label == "Transport" and announcement.session is None
    assert (announcement.emails, announcement.letters) == (1, 1)
    assert announcement.audience_label() == "The members of a working group"


def test_service_refuses_another_assemblys_group_and_unknown_kinds(
    tenant: Any, other_tenant: Any, bilingual: Any
) -> None:
    foreign: Any = WorkingGroupFactory(assembly=other_tenant.assembly, name="Elsewhere")
    foreign.members.add(MemberFactory(assembly=other_tenant.assembly))
    common = {"assembly": tenant.assembly, "subjects": {"en": "S"}, "bodies": {"en": "B"}}

    with pytest.raises(ValidationError) as refused:
        services.announcement_send(
            **common,
            audience=Audience.GROUP,
            group_key="working_group",
            group_id=foreign.pk,
            by=tenant.organiser,
        )
    assert "Choose a group of this assembly." in refused.value.message_dict["group_working_group"]
    with pytest.raises(ValidationError):
        services.announcement_send(
            **common, audience=Audience.GROUP, group_key="nonsense", group_id=foreign.pk, by=tenant.organiser
        )
    assert not selectors.audience_members(
        tenant.assembly, audience=Audience.GROUP, group_key="working_group", group_id=foreign.pk
    ).exists()
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_the_form_offers_the_assemblys_working_groups_only(
    organiser_client: Any, tenant: Any, other_tenant: Any, group: Any
) -> None:
    WorkingGroupFactory(assembly=other_tenant.assembly, name="Elsewhere")
    body = organiser_client.get(new_url(tenant.assembly)).content.decode()

    assert "The members of a working group" in body
    assert ">Transport</option>" in body and ">Housing</option>" in body
    assert "Elsewhere" not in body


def test_no_working_groups_no_choice(organiser_client: Any, tenant: Any) -> None:
    body = organiser_client.get(new_url(tenant.assembly)).content.decode()
    assert "The members of a working group" not in body


def test_screen_preview_counts_the_group_and_sends_nothing(
    organiser_client: Any, tenant: Any, group: Any
) -> None:
    data = {**FORM, "audience": "working_group", "group_working_group": group.pk, "action": "preview"}
    response = organiser_client.post(new_url(tenant.assembly), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "This announcement will reach 2 members" in body
    assert "1 by email" in body and "1 by printed letter" in body
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_screen_sends_to_the_group_and_shows_it(
    organiser_client: Any, tenant: Any, bilingual: Any, group: Any
) -> None:
    data = {**FORM, "audience": "working_group", "group_working_group": group.pk, "action": "send"}
    response = organiser_client.post(new_url(tenant.assembly), data)

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert set(announcement.recipients.values_list("member_id", flat=True)) == {
        bilingual["french"].pk,
        bilingual["no_email"].pk,
    }
    detail = organiser_client.get(response["Location"]).content.decode()
    assert "The members of a working group (Transport)" in detail
    listing = organiser_client.get(
        reverse("admin:deliberation_announcement_assembly", args=[tenant.assembly.pk])
    ).content.decode()
    assert "The members of a working group: Transport" in listing


def test_screen_needs_a_group_and_refuses_another_assemblys(
    organiser_client: Any, tenant: Any, other_tenant: Any, group: Any
) -> None:
    foreign: Any = WorkingGroupFactory(assembly=other_tenant.assembly, name="Elsewhere")
    foreign.members.add(MemberFactory(assembly=other_tenant.assembly))

    missing = organiser_client.post(new_url(tenant.assembly), {**FORM, "audience": "working_group"})
    assert "Choose the group whose members receive it." in missing.content.decode()
    for action in ("preview", "send"):
        data = {**FORM, "audience": "working_group", "group_working_group": foreign.pk, "action": action}
        response = organiser_client.post(new_url(tenant.assembly), data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Announcement.objects.exists() and not OutboxMessage.objects.exists()


def test_another_assemblys_organiser_cannot_reach_the_screen(
    client: Any, tenant: Any, other_tenant: Any, group: Any
) -> None:
    client.force_login(other_tenant.organiser)
    data = {**FORM, "audience": "working_group", "group_working_group": group.pk, "action": "send"}
    assert client.post(new_url(tenant.assembly), data).status_code == 404
    assert not Announcement.objects.exists()
