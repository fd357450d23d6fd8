"""Login by code in plain words, and no "sign up" email while sign-up is
closed (issue 9, item 20)."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_login_code_pages_speak_plainly(client: Any) -> None:
    page = client.get("/accounts/login/code/").content.decode()
    assert "Email me a login code" in page and "No password needed" in page
    for allauth_wording in ("Sign In", "sign-in", "Request Code", "special code"):
        assert allauth_wording not in page


def test_unknown_address_gets_no_sign_up_invitation(client: Any) -> None:
    client.post("/accounts/login/code/", {"email": "stranger@example.org"})
    message = OutboxMessage.objects.get(recipient="stranger@example.org")
    text = f"{message.subject}\n{message.body_text}".lower()
    assert "no account" in text and "organisers" in text
    assert "sign up" not in text and "signup" not in text and "/accounts/" not in text


def test_a_member_gets_a_plain_login_code_email(client: Any, member: Any) -> None:
    response = client.post("/accounts/login/code/", {"email": member.email}, follow=True)
    assert "Type your login code" in response.content.decode()
    message = OutboxMessage.objects.filter(recipient=member.email).latest("id")
    assert message.subject.endswith("Your login code")
    assert "Here is your login code" in message.body_text and "Sign-In" not in message.subject


def test_login_code_link_keeps_next_once_and_the_member_lands_on_it(client: Any, member: Any) -> None:
    import re

    from django.contrib.messages import get_messages

    page = client.get("/accounts/login/?next=/portal/").content.decode()
    links = re.findall(r'href="([^"]*/accounts/login/code/[^"]*)"', page)
    assert links == ["/accounts/login/code/?next=%2Fportal%2F"]

    form = client.get(links[0]).content.decode()
    next_value = re.search(r'name="next" value="([^"]*)"', form)
    assert next_value is not None and next_value.group(1) == "/portal/"
    response = client.post(links[0], {"email": member.email, "next": next_value.group(1)}, follow=True)
    confirm = response.content.decode()
    next_value = re.search(r'name="next" value="([^"]*)"', confirm)
    assert next_value is not None and next_value.group(1) == "/portal/"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("login code has been sent" in m for m in messages), messages
    assert not any("sign-in" in m.lower() for m in messages), messages

    body = OutboxMessage.objects.filter(recipient=member.email).latest("id").body_text
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", body, re.MULTILINE)
    assert code is not None, body
    answer = {"code": code.group(1), "next": next_value.group(1)}
    response = client.post("/accounts/login/code/confirm/", answer)
    assert response.status_code == 302 and response["Location"] == "/portal/"
