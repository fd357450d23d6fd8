from __future__ import annotations

from typing import Any

import pytest

from notifications.models import OutboxMessage
from notifications.services import queue_prerendered_email

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/outboxmessage/"


def test_organisers_see_only_their_assemblies_emails(
    organiser_client: Any, assembly: Any, other_assembly: Any
) -> None:
    ours = queue_prerendered_email(to="ours@example.org", subject="Ours", text="x", assembly=assembly)
    theirs = queue_prerendered_email(
        to="theirs@example.org", subject="Theirs", text="x", assembly=other_assembly
    )
    login_code = queue_prerendered_email(to="code@example.org", subject="Login code", text="123456")

    response = organiser_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ours@example.org" in page
    assert "theirs@example.org" not in page
    assert "code@example.org" not in page

    assert organiser_client.get(f"{CHANGELIST}{ours.pk}/change/").status_code == 200
    assert organiser_client.get(f"{CHANGELIST}{theirs.pk}/change/").status_code == 404
    assert organiser_client.get(f"{CHANGELIST}{login_code.pk}/change/").status_code == 404


def test_the_outbox_is_read_only(organiser_client: Any, assembly: Any) -> None:
    message = queue_prerendered_email(to="ours@example.org", subject="Ours", text="x", assembly=assembly)
    response = organiser_client.post(
        f"{CHANGELIST}{message.pk}/change/", {"recipient": "changed@example.org"}
    )
    assert response.status_code == 403
    assert organiser_client.get(f"{CHANGELIST}add/").status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).recipient == "ours@example.org"


# --- issue 9, item 3: the outbox is personal data, and its secrets are never shown ---
def _team_member(tenant: Any, role: str) -> Any:
    from tests.factories import TeamMembershipFactory, UserFactory

    user = UserFactory(username=f"{role}@example.org")
    TeamMembershipFactory(team=tenant.team, user=user, role=role)
    return user


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_viewers_and_facilitators_cannot_read_the_outbox(client: Any, tenant: Any, role: str) -> None:
    message = queue_prerendered_email(
        to="respondent@example.org", subject="You were chosen", text="x", assembly=tenant.assembly
    )
    client.force_login(_team_member(tenant, role))

    listing = client.get(CHANGELIST)
    detail = client.get(f"{CHANGELIST}{message.pk}/change/")

    assert listing.status_code == 403
    assert detail.status_code == 404
    assert "respondent@example.org" not in listing.content.decode() + detail.content.decode()
    assert "Outbox" not in client.get("/admin/").content.decode()


def test_an_organiser_of_one_assembly_and_viewer_of_another_sees_only_the_first(
    organiser_client: Any, tenant: Any, organiser: Any
) -> None:
    from assemblies.models import Role
    from tests.factories import AssemblyFactory, OrganiserTeamFactory, TeamMembershipFactory

    elsewhere = AssemblyFactory()
    TeamMembershipFactory(
        team=OrganiserTeamFactory(organisation=elsewhere.organisation),
        user=organiser,
        role=Role.VIEWER,
        assembly=elsewhere,
    )
    queue_prerendered_email(to="ours@example.org", subject="Ours", text="x", assembly=tenant.assembly)
    hidden = queue_prerendered_email(to="viewed@example.org", subject="Viewed", text="x", assembly=elsewhere)

    page = organiser_client.get(CHANGELIST).content.decode()

    assert "ours@example.org" in page
    assert "viewed@example.org" not in page
    assert organiser_client.get(f"{CHANGELIST}{hidden.pk}/change/").status_code == 404


SECRETS = {
    "confirm link": "https://plenary.example/confirm/Zx81_kq-Pw0rTyu7RmNvB2sLdEe5fGhJ/",
    "decline link": "https://plenary.example/confirm/Ab12Cd34Ef56Gh78/decline/",
    "registration link": "https://plenary.example/register/?code=ACDEFG34",
    "registration code": "ACDE-FG34",
    "login code": "7KQ2-M9XH",
    "password reset link": "https://plenary.example/accounts/password/reset/key/3f-c9a8b7d6e5/",
}


@pytest.mark.parametrize("secret", SECRETS.values(), ids=SECRETS.keys())
def test_links_and_codes_that_act_for_someone_are_masked_even_for_organisers(
    organiser_client: Any, assembly: Any, secret: str
) -> None:
    body = f"Dear Ann,\n\nUse this: {secret}\n\nThe Northshire team"
    message = queue_prerendered_email(
        to="ann@example.org",
        subject="Your seat",
        text=body,
        html=f'<p>Use <a href="{secret}">this</a>: {secret}</p>',
        assembly=assembly,
    )

    page = organiser_client.get(f"{CHANGELIST}{message.pk}/change/").content.decode()

    token = secret.rstrip("/").split("/")[-1].split("=")[-1]
    if token == "decline":
        token = "Ab12Cd34Ef56Gh78"
    assert token not in page
    assert "Dear Ann" in page
    assert "The Northshire team" in page
    assert "hidden" in page
