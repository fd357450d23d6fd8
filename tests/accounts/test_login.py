from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from notifications.models import OutboxMessage
from tests.factories import PASSWORD


def _request_code(client: Any, email: str) -> str:
    response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:1500]
    message = OutboxMessage.objects.filter(recipient=email).latest("id")
    match = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", message.body_text)
    assert match, message.body_text
    return match[1]


def test_member_logs_in_by_emailed_code_and_lands_in_the_portal(
    client: Any, member: Any, assembly: Any
) -> None:
    code = _request_code(client, member.email)

    response = client.post("/accounts/login/code/confirm/", {"code": code}, follow=True)

    assert response.redirect_chain[-1][0] == "/portal/"
    assert assembly.title in response.content.decode()


def test_a_wrong_code_says_so_and_does_not_log_in(client: Any, member: Any) -> None:
    _request_code(client, member.email)

    response = client.post("/accounts/login/code/confirm/", {"code": "WRONG1"})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get("/portal/").status_code == 302


def test_login_code_email_goes_through_the_outbox_in_plain_text(client: Any, member: Any) -> None:
    _request_code(client, member.email)

    message = OutboxMessage.objects.get(recipient=member.email)
    assert message.subject
    assert message.template.startswith("account/email/login_code")


def test_nobody_can_sign_up_on_their_own(client: Any, db: None) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "walk-in@example.org", "password1": "x9!kdP-33aa", "password2": "x9!kdP-33aa"},
    )
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()


@pytest.fixture
def fresh_limits() -> Any:
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


STRANGER, ORGANISER_DESK = "203.0.113.9", "198.51.100.20"


def _log_in(client: Any, email: str, password: str, ip: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_password_login_is_rate_limited_per_client_and_account(
    client: Any, organiser: Any, fresh_limits: None
) -> None:
    for _ in range(5):
        assert _log_in(client, organiser.email, "wrong", STRANGER).status_code == 200

    response = _log_in(client, organiser.email, "wrong", STRANGER)

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    # From that client, even the right password waits until the limit expires.
    assert _log_in(client, organiser.email, PASSWORD, STRANGER).status_code == 429


def test_a_stranger_cannot_lock_the_organiser_out(client: Any, organiser: Any, fresh_limits: None) -> None:
    """Issue 9, item 8: twelve wrong passwords from elsewhere, then the
    organiser logs in from their own desk."""
    for _ in range(12):
        _log_in(client, organiser.email, "wrong", STRANGER)

    response = _log_in(client, organiser.email, PASSWORD, ORGANISER_DESK)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_one_client_guessing_across_many_accounts_is_stopped(
    client: Any, db: None, fresh_limits: None
) -> None:
    statuses = [_log_in(client, f"guess{n}@example.org", "wrong", STRANGER).status_code for n in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


@pytest.fixture
def mfa_required(settings: Any) -> None:
    settings.PLENARY_REQUIRE_ORGANISER_MFA = True


def test_organiser_without_totp_is_sent_to_set_it_up(organiser_client: Any, mfa_required: None) -> None:
    response = organiser_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before showing the QR code.
    assert organiser_client.get("/accounts/2fa/totp/activate/", follow=True).status_code == 200


def test_organiser_with_totp_reaches_the_admin(
    organiser_client: Any, organiser: Any, mfa_required: None
) -> None:
    Authenticator.objects.create(user=organiser, type=Authenticator.Type.TOTP, data={"secret": "x"})

    assert organiser_client.get("/admin/").status_code == 200


def test_members_are_not_asked_for_totp(member_client: Any, mfa_required: None) -> None:
    assert member_client.get("/portal/").status_code == 200
