"""Issue 9, item 6: the details step never answers 500 when the code was used
meanwhile (19 of 20 concurrent submissions did) or registration closed."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from assemblies.models import Assembly, Stage
from lottery.models import Respondent

from .conftest import make_invitation
from .test_views import DETAILS, REGISTER, details_data

pytestmark = pytest.mark.django_db


def _started(client: Any, assembly: Assembly) -> Any:
    invitation = make_invitation(assembly)
    assert client.post(REGISTER, {"code": invitation.code}).status_code == 302
    return invitation


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_code_used_meanwhile_shows_the_plain_page(
    client: Any, assembly: Assembly, recruiting: dict[str, Any], method: str
) -> None:
    invitation = _started(client, assembly)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])

    response = getattr(client, method)(DETAILS, details_data(recruiting) if method == "post" else None)

    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert not Respondent.objects.exists()


def test_registration_closed_meanwhile_shows_the_plain_page(
    client: Any, assembly: Assembly, recruiting: dict[str, Any]
) -> None:
    _started(client, assembly)
    Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.SELECTING)

    response = client.post(DETAILS, details_data(recruiting))

    assert response.status_code == 200
    assert "Registration for this assembly is closed" in response.content.decode()


def test_losing_the_race_for_a_code_shows_the_plain_page(
    client: Any, assembly: Assembly, recruiting: dict[str, Any], monkeypatch: Any
) -> None:
    # Concurrent submissions: the check passed, then another request used the
    # code first and the service refuses under its row lock.
    from lottery.registration import services, views

    _started(client, assembly)

    def used_meanwhile(**kwargs: Any) -> Any:
        raise services.CodeAlreadyUsed("used")

    monkeypatch.setattr(views.services, "respondent_register", used_meanwhile)

    response = client.post(DETAILS, details_data(recruiting))

    assert response.status_code == 200
    assert "already been used" in response.content.decode()
