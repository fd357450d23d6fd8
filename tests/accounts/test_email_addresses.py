"""Issue 9, item 1: nobody can claim an address, and roles attach only to an
account that verified the address they were granted to."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.services import ensure_user
from tests.factories import UserFactory

User = get_user_model()

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["member", "organiser"])
def test_nobody_can_add_an_address_at_the_email_page(client: Any, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)

    page = client.get("/accounts/email/")
    added = client.post("/accounts/email/", {"email": "victim@example.org", "action_add": ""})

    assert page.status_code == 200
    assert "managed by the organisers" in page.content.decode()
    assert 'name="email"' not in page.content.decode()
    assert added.status_code == 405
    assert not EmailAddress.objects.filter(email="victim@example.org").exists()


def test_nobody_can_make_another_address_primary_or_remove_theirs(client: Any, member: Any) -> None:
    EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=True)
    EmailAddress.objects.create(user=member, email="second@example.org", primary=False, verified=True)
    client.force_login(member)

    client.post("/accounts/email/", {"email": "second@example.org", "action_primary": ""})
    client.post("/accounts/email/", {"email": member.email, "action_remove": ""})

    assert EmailAddress.objects.get(user=member, primary=True).email == member.email


def test_the_add_email_form_refuses_even_when_reached_another_way(member: Any) -> None:
    # Defence in depth: allauth's own add-email form is replaced by one that refuses.
    from allauth.account import app_settings
    from allauth.account.forms import AddEmailForm
    from allauth.utils import get_form_class

    form_class = get_form_class(app_settings.FORMS, "add_email", AddEmailForm)
    form = form_class(data={"email": "victim@example.org"}, user=member)

    assert not form.is_valid()
    assert "managed by the organisers" in str(form.errors)


def test_ensure_user_creates_a_verified_account_for_a_new_address() -> None:
    user = ensure_user(email=" New.Person@Example.org ")

    assert user.email == "new.person@example.org"
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()
    assert ensure_user(email="NEW.PERSON@example.org").pk == user.pk


def test_ensure_user_refuses_an_account_that_only_claims_the_address_on_its_user_row() -> None:
    # The attack: an account whose User.email says victim@ without having verified it.
    UserFactory(username="attacker@example.org", email="victim@example.org")

    with pytest.raises(ValidationError, match="has not confirmed this address"):
        ensure_user(email="victim@example.org")


def test_ensure_user_refuses_an_unverified_or_secondary_address() -> None:
    attacker = UserFactory(username="attacker@example.org", email="attacker@example.org")
    EmailAddress.objects.create(user=attacker, email="attacker@example.org", primary=True, verified=True)
    EmailAddress.objects.create(user=attacker, email="victim@example.org", primary=False, verified=True)
    EmailAddress.objects.create(user=attacker, email="other@example.org", primary=False, verified=False)

    for address in ("victim@example.org", "other@example.org"):
        with pytest.raises(ValidationError):
            ensure_user(email=address)
    assert User.objects.count() == 1


def test_ensure_user_attaches_to_an_account_that_verified_its_primary_address() -> None:
    owner = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailAddress.objects.create(user=owner, email="owner@example.org", primary=True, verified=True)

    assert ensure_user(email="Owner@Example.org").pk == owner.pk


def test_a_role_granted_in_the_admin_to_a_claimed_address_is_refused_plainly(
    organiser_client: Any, tenant: Any
) -> None:
    UserFactory(username="attacker@example.org", email="victim@example.org")

    response = organiser_client.post(
        "/admin/assemblies/member/add/",
        {
            "assembly": tenant.assembly.pk,
            "email": "victim@example.org",
            "display_name": "Victim",
            "role": "member",
            "status": "confirmed",
        },
    )

    assert response.status_code == 200
    assert "has not confirmed this address" in response.content.decode()
    assert not tenant.assembly.members.filter(user__email="victim@example.org").exists()


def test_logging_in_by_a_code_sent_to_the_address_confirms_it_for_an_account_without_one(
    client: Any, db: None
) -> None:
    # An account made before addresses were recorded (createsuperuser, an old
    # import) has User.email only: a role is refused until the person proves the
    # address, and the refusal tells them to log in once by code. That must work.
    from tests.accounts.test_login import _request_code

    owner = UserFactory(username="legacy@example.org", email="legacy@example.org")
    EmailAddress.objects.filter(user=owner).delete()
    with pytest.raises(ValidationError):
        ensure_user(email="legacy@example.org")

    code = _request_code(client, "legacy@example.org")
    client.post("/accounts/login/code/confirm/", {"code": code})

    assert EmailAddress.objects.filter(
        user=owner, email="legacy@example.org", verified=True, primary=True
    ).exists()
    assert ensure_user(email="Legacy@Example.org").pk == owner.pk


def test_a_password_login_confirms_no_address(client: Any, db: None) -> None:
    from tests.factories import PASSWORD

    owner = UserFactory(username="legacy@example.org", email="legacy@example.org")
    EmailAddress.objects.filter(user=owner).delete()

    client.post("/accounts/login/", {"login": "legacy@example.org", "password": PASSWORD})

    assert not EmailAddress.objects.filter(user=owner).exists()
    with pytest.raises(ValidationError):
        ensure_user(email="legacy@example.org")
