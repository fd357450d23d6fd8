"""Issue 9, items 11, 12, 13 and 18: what a resident meets when registering.

Registration closes with the stage, the last day to register and the draw;
the privacy notice is readable where consent is asked; the organisers'
contact is on every page and email; a registration is confirmed by email.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import Assembly, Stage
from assemblies.services import assembly_transition
from lottery.models import DrawStatus, RecruitmentSettings, Respondent, SelectionRun
from lottery.registration import services
from notifications.models import OutboxMessage

from .conftest import make_invitation
from .test_views import DETAILS, REGISTER, details_data

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Riverside Council, Democracy Team",
    "contact_email": "assembly@riverside.example",
    "contact_phone": "01234 567890",
    "contact_address": "Town Hall\nRiverside RV1 1AA",
}


def with_contact(assembly: Assembly) -> Assembly:
    Assembly.objects.filter(pk=assembly.pk).update(**CONTACT)
    assembly.refresh_from_db()
    return assembly


def settings_of(assembly: Assembly, **changes: Any) -> RecruitmentSettings:
    settings, _created = RecruitmentSettings.objects.update_or_create(assembly=assembly, defaults=changes)
    return settings


def code_step(client: Any, assembly: Assembly, n: int = 1) -> Any:
    return client.post(REGISTER, {"code": make_invitation(assembly, n).code})


# --- item 11: registration closes ------------------------------------------------------------


def test_a_drawn_panel_closes_registration_even_in_the_recruiting_stage(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    with_contact(assembly)
    SelectionRun.objects.create(
        assembly=assembly, request_key="drawn", panel_size=10, status=DrawStatus.DRAWN
    )
    response = code_step(client, assembly)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Registration is closed" in body and "have been chosen" in body
    assert "a lottery chooses the members" not in body
    assert "assembly@riverside.example" in body  # whom to ask
    with pytest.raises(services.RegistrationClosed):
        services.respondent_register(
            invitation=make_invitation(assembly, 2),
            data={"first_name": "A", "last_name": "B", "email": "a@example.org", "consent": True},
            language="en",
            by=SYSTEM,
        )
    assert not Respondent.objects.exists()


def test_a_final_panel_closes_registration(client: Any, assembly: Assembly, recruiting: Any) -> None:
    settings_of(assembly, panel_final_at=timezone.now())
    assert "Registration is closed" in code_step(client, assembly).content.decode()


def test_registration_closes_after_the_last_day(client: Any, assembly: Assembly, recruiting: Any) -> None:
    today = timezone.localdate()
    settings_of(assembly, registration_closes_on=today)
    assert code_step(client, assembly).status_code == 302  # open all of the last day
    settings_of(assembly, registration_closes_on=today - dt.timedelta(days=1))
    body = code_step(client, assembly, 2).content.decode()
    assert "Registration closed on" in body and str(today.year) in body


def test_closing_between_the_two_steps_shows_the_closed_page(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    assert code_step(client, assembly).status_code == 302
    SelectionRun.objects.create(assembly=assembly, request_key="k", panel_size=10, status=DrawStatus.DRAWN)
    response = client.post(DETAILS, details_data(recruiting))
    assert "Registration is closed" in response.content.decode()
    assert not Respondent.objects.exists()


def test_the_done_page_and_the_form_give_the_last_day(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    settings_of(assembly, registration_closes_on=dt.date(2099, 3, 14))
    code_step(client, assembly)
    assert "Registration closes at the end of 14 March 2099" in client.get(DETAILS).content.decode()
    client.post(DETAILS, details_data(recruiting))
    assert "Registration closes on 14 March 2099" in client.get("/register/done/").content.decode()


# --- item 12: a privacy notice one can read ------------------------------------------------------


def test_the_notice_is_shown_and_linked_where_consent_is_asked(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    code_step(client, assembly)
    form = client.get(DETAILS).content.decode()
    assert "Riverside Council keeps your answers to choose the assembly fairly." in form
    assert f'href="/register/privacy/{assembly.slug}/"' in form
    assert "privacy notice above (version 2)" in form


def test_the_notice_page_in_the_visitors_language(client: Any, assembly: Assembly, recruiting: Any) -> None:
    settings_of(assembly, privacy_notice_translations={"fr": "Le conseil garde vos réponses."})
    english = client.get(f"/register/privacy/{assembly.slug}/").content.decode()
    assert "Riverside Council keeps your answers" in english and "Version 2" in english
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = client.get(f"/register/privacy/{assembly.slug}/").content.decode()
    assert "Le conseil garde vos réponses." in french


def test_no_notice_no_registration(client: Any, assembly: Assembly, recruiting: Any) -> None:
    settings_of(assembly, privacy_notice="  ")
    body = code_step(client, assembly).content.decode()
    assert "Registration has not opened yet" in body
    assert client.get(f"/register/privacy/{assembly.slug}/").status_code == 404


def test_recruiting_refused_until_notice_and_contact_are_there(assembly: Assembly, organiser: Any) -> None:
    Assembly.objects.filter(pk=assembly.pk).update(stage=Stage.DRAFT)
    assembly.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        assembly_transition(assembly=assembly, to_stage=Stage.RECRUITING, by=organiser)
    message = " ".join(refused.value.messages)
    assert "privacy notice" in message and "contact" in message
    settings_of(assembly, privacy_notice="We keep your answers safe.")
    with_contact(assembly)
    assert assembly_transition(assembly=assembly, to_stage=Stage.RECRUITING, by=organiser).stage == (
        Stage.RECRUITING
    )


def test_the_settings_page_says_what_is_missing(
    organiser_client: Any, assembly: Assembly, recruiting: Any
) -> None:
    recruitment = settings_of(assembly, privacy_notice="")
    page = organiser_client.get(f"/admin/lottery/recruitmentsettings/{recruitment.pk}/change/")
    body = page.content.decode()
    assert "Registration cannot open until you add" in body and "a privacy notice" in body
    assert 'name="privacy_notice__fr"' in body and 'name="member_offer"' in body


# --- item 13: whom to contact ------------------------------------------------------------------------


def test_the_contact_is_on_the_form_the_done_page_and_the_public_page(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    with_contact(assembly)
    code_step(client, assembly)
    assert "01234 567890" in client.get(DETAILS).content.decode()
    client.post(DETAILS, details_data(recruiting))
    done = client.get("/register/done/").content.decode()
    assert "Riverside Council, Democracy Team" in done and "mailto:assembly@riverside.example" in done
    public = client.get(f"/assemblies/{assembly.slug}/").content.decode()
    assert "Contact the organisers" in public and "Town Hall" in public


# --- item 18: the registration email -----------------------------------------------------------------


def test_registering_sends_a_confirmation_email_in_the_persons_language(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    with_contact(assembly)
    Assembly.objects.filter(pk=assembly.pk).update(title_translations={"fr": "Assemblée de Riverside"})
    settings_of(assembly, registration_closes_on=dt.date(2099, 3, 14))
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    code_step(client, assembly)
    assert client.post(DETAILS, details_data(recruiting)).status_code == 302

    message = OutboxMessage.objects.get(template="registered")
    assert message.recipient == "ada@example.org" and message.language == "fr"
    assert "Assemblée de Riverside" in message.subject
    assert "14 mars 2099" in message.body_text
    assert "assembly@riverside.example" in message.body_text and "01234 567890" in message.body_text
    assert "assembly@riverside.example" in message.body_html
