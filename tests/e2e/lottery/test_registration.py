"""A respondent registers with the code from their letter, on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from lottery.models import Respondent
from tests.lottery.registration.conftest import make_invitation, setup_recruitment

PHONE = {"width": 375, "height": 667}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_register_on_a_phone(
    allow_orm_beside_playwright: None, live_server: Any, page: Any, assembly: Any
) -> None:
    recruiting = setup_recruitment(assembly)
    invitation = make_invitation(assembly)
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/register/")
    page.get_by_label("Your registration code").fill(
        f"{invitation.code[:4].lower()} {invitation.code[4:].lower()}"
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/register/details/")

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    # Submitting without consent: the error summary links to the checkbox.
    page.get_by_role("group", name="Gender").get_by_label("Female").check()
    page.get_by_role("group", name="Age").get_by_label("Prefer not to say").check()
    page.get_by_role("button", name="Register").click()
    summary = page.get_by_role("alert")
    assert "privacy notice" in summary.inner_text()
    # Nothing is wider than the phone (no sideways scrolling).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("group", name="Gender").get_by_label("Female").check()
    page.get_by_role("group", name="Age").get_by_label("Prefer not to say").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/register/done/")
    assert page.get_by_role("heading", name="What happens next").is_visible()
    respondent = Respondent.objects.get()
    assert respondent.email == "ada@example.org"
    assert {a.feature.value for a in respondent.answers.all()} == {"female", "prefer-not-to-say"}
    assert recruiting["gender"].pk
