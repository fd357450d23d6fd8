from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import AuditEvent
from lottery.models import PREFER_NOT_TO_SAY, Answer, Respondent

from .conftest import make_invitation

pytestmark = pytest.mark.django_db

REGISTER = "/register/"
DETAILS = "/register/details/"


def details_data(recruiting: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "phone": "",
        f"category_{recruiting['gender'].pk}": "female",
        f"category_{recruiting['age'].pk}": "30-59",
        "availability": ["2026-03-07"],
        "access_needs": "Step-free access",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_urls() -> None:
    assert reverse("lottery:register") == REGISTER
    assert reverse("lottery:register-details") == DETAILS
    assert reverse("lottery:register-done") == "/register/done/"


def test_full_registration(client: Any, assembly: Any, recruiting: dict[str, Any]) -> None:
    invitation = make_invitation(assembly)
    page = client.get(f"{REGISTER}?code={invitation.code}")
    assert page.status_code == 200
    assert f'value="{invitation.code}"' in page.content.decode()

    response = client.post(REGISTER, {"code": invitation.code})
    assert response.status_code == 302 and response["Location"] == DETAILS
    form = client.get(DETAILS).content.decode()
    assert "<legend>Gender</legend>" in form and 'autocomplete="email"' in form
    assert 'autocomplete="given-name"' in form and 'inputmode="tel"' in form

    response = client.post(DETAILS, details_data(recruiting))
    assert response.status_code == 302 and response["Location"] == "/register/done/"
    done = client.get("/register/done/")
    assert "What happens next" in done.content.decode()

    respondent = Respondent.objects.get()
    assert (respondent.first_name, respondent.email, respondent.assembly) == (
        "Ada",
        "ada@example.org",
        assembly,
    )
    assert respondent.availability == ["2026-03-07"]
    assert respondent.consent_version == "2" and respondent.language == "en"
    assert respondent.household == f"address-{invitation.address_id}"
    assert {a.feature.value for a in Answer.objects.filter(respondent=respondent)} == {"female", "30-59"}
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    event = AuditEvent.objects.get(action="respondent.registered")
    assert "Ada" not in str(event.data) + event.object_repr and "ada@" not in str(event.data)
    assert event.object_repr == str(respondent)


def test_code_typed_with_lower_case_spaces_and_dashes(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    typed = f" {invitation.code[:4].lower()} - {invitation.code[4:].lower()} "
    response = client.post(REGISTER, {"code": typed})
    assert response.status_code == 302


@pytest.mark.parametrize("code", ["ACDEFGHJ", "nonsense", "AAAA"])
def test_unknown_code_rerenders_with_plain_message(
    client: Any, assembly: Any, recruiting: Any, code: str
) -> None:
    response = client.post(REGISTER, {"code": code})
    assert response.status_code == 200
    assert "We could not find this code" in response.content.decode()
    assert "/register/details/" not in response.get("Location", "")


def test_used_code_rerenders_with_plain_message(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code})
    client.post(DETAILS, details_data(recruiting))
    response = client.post(REGISTER, {"code": invitation.code})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert Respondent.objects.count() == 1


def test_consent_is_required(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code})
    response = client.post(DETAILS, details_data(recruiting, consent=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_consent"' in html
    assert "Tick the box to agree to the privacy notice" in html
    assert not Respondent.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_missing_answer_links_to_the_radio_group(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code})
    key = f"category_{recruiting['gender'].pk}"
    response = client.post(DETAILS, details_data(recruiting, **{key: None}))
    assert response.status_code == 200
    assert f'href="#id_{key}_0"' in response.content.decode()
    assert not Respondent.objects.exists()


def test_prefer_not_to_say_only_where_allowed(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code})
    html = client.get(DETAILS).content.decode()
    assert f'name="category_{recruiting["age"].pk}" value="{PREFER_NOT_TO_SAY}"' in html
    assert f'name="category_{recruiting["gender"].pk}" value="{PREFER_NOT_TO_SAY}"' not in html

    refused = client.post(
        DETAILS, details_data(recruiting, **{f"category_{recruiting['gender'].pk}": PREFER_NOT_TO_SAY})
    )
    assert refused.status_code == 200 and not Respondent.objects.exists()

    client.post(DETAILS, details_data(recruiting, **{f"category_{recruiting['age'].pk}": PREFER_NOT_TO_SAY}))
    answer = Answer.objects.get(category=recruiting["age"])
    # A feature like any other, with its own quota of 0..k.
    assert answer.feature.value == PREFER_NOT_TO_SAY
    assert (answer.feature.min_seats, answer.feature.max_seats) == (0, 10)


def test_details_without_code_goes_back_to_code_step(client: Any, assembly: Any, recruiting: Any) -> None:
    response = client.get(DETAILS)
    assert response.status_code == 302 and response["Location"] == REGISTER


def test_closed_assembly_refuses(client: Any, assembly: Any, recruiting: Any) -> None:
    from assemblies.models import Assembly, Stage

    invitation = make_invitation(assembly)
    Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.SELECTING)
    response = client.post(REGISTER, {"code": invitation.code})
    assert response.status_code == 200 and "closed" in response.content.decode()


def test_rate_limit(client: Any, assembly: Any, recruiting: Any, settings: Any) -> None:
    settings.PLENARY_REGISTRATION_CODE_RATE_LIMIT = 20
    for _ in range(20):
        assert client.post(REGISTER, {"code": "ACDEFGHJ"}).status_code == 200
    response = client.post(REGISTER, {"code": "ACDEFGHJ"})
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()


def test_registration_in_french(client: Any, assembly: Any, recruiting: Any) -> None:
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code}, HTTP_ACCEPT_LANGUAGE="fr")
    client.post(DETAILS, details_data(recruiting), HTTP_ACCEPT_LANGUAGE="fr")
    assert Respondent.objects.get().language == "fr"
