"""Issue 9, items 14 and 18: the letters and the short confirm code.

The invitation letter: one registration per household, the date, the
sender, the signatory, the last day to register, the session dates, what
members receive, the contact, the postcode after the town. The selected
person's letter: dates written out, a QR code and a short code to type at
/confirm/ instead of a 43-character link. Reserves are told they are reserves.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from assemblies.models import Assembly
from lottery.invitations import letters as invitation_letters
from lottery.models import RecruitmentSettings, Respondent, RespondentStatus
from lottery.selection import letters as selected_letters
from lottery.selection.notices import notify_reserve
from notifications.models import OutboxMessage

from .test_admin import register
from .test_residents import CONTACT, with_contact

pytestmark = pytest.mark.django_db


def letter_settings(assembly: Assembly) -> None:
    with_contact(assembly)
    RecruitmentSettings.objects.filter(assembly=assembly).update(
        registration_closes_on=dt.date(2026, 2, 20),
        member_offer="£150 for each weekend; travel, meals and childcare paid.",
        letter_signatory_name="Jane Smith",
        letter_signatory_role="Chief Executive",
    )


def captured_html(monkeypatch: Any, module: Any, name: str) -> list[str]:
    seen: list[str] = []
    real = getattr(module, name)

    def capture(html: str) -> Any:
        seen.append(html)
        return real(html)

    monkeypatch.setattr(module, name, capture)
    return seen


def test_invitation_letter_says_what_a_resident_needs(
    monkeypatch: Any, assembly: Assembly, recruiting: Any
) -> None:
    letter_settings(assembly)
    html = captured_html(monkeypatch, invitation_letters, "render_document")
    lines = invitation_letters.address_lines("1 High Street", "", "Riverside", "RV1 2AB")
    assert lines == ["1 High Street", "Riverside", "RV1 2AB"]  # the postcode after the town
    letter = invitation_letters.Letter(sequence=1, code="ACDEFG34", address_lines=lines)
    pages = invitation_letters.render_letters(assembly=assembly, letters=[letter], target=io.BytesIO())
    assert pages == 1
    text = html[0]
    assert assembly.organisation.name in text
    assert "Jane Smith" in text and "Chief Executive" in text and "Yours sincerely" in text
    assert "Register by 20 February 2026." in text
    assert "Saturday 7 March 2026" in text and "2026-03-07" not in text
    assert "£150 for each weekend" in text
    assert CONTACT["contact_phone"] in text and CONTACT["contact_email"] in text
    assert "lets one person aged 16 or over who lives at this address register" in text
    assert "Anyone aged 16 or over" not in text


def test_selected_letter_has_dates_a_qr_code_and_a_short_code(
    monkeypatch: Any, assembly: Assembly, recruiting: Any
) -> None:
    respondent = register(assembly, recruiting)
    letter_settings(assembly)
    respondent.status, respondent.confirm_token = RespondentStatus.SELECTED, "t" * 43
    respondent.save()
    respondent = Respondent.objects.select_related("assembly__organisation").get(pk=respondent.pk)
    html = captured_html(monkeypatch, selected_letters, "render_pdf")
    assert selected_letters.selected_letter_pdf(respondent).startswith(b"%PDF")
    text = html[0]
    code = respondent.confirm_code
    assert f"{code[:4]}-{code[4:]}" in text and "/confirm/</strong>" in text
    assert "t" * 43 not in text  # nobody types the long link
    assert 'src="data:image/png;base64,' in text
    assert "Saturday 7 March 2026" in text and "2026-03-07" not in text
    assert CONTACT["contact_email"] in text and "Jane Smith" in text


def selected(assembly: Assembly, recruiting: Any) -> Respondent:
    respondent = register(assembly, recruiting)
    respondent.status, respondent.confirm_token = RespondentStatus.SELECTED, "secret-token"
    respondent.save()
    return respondent


def test_the_short_code_opens_the_confirm_page_whatever_the_case(
    client: Any, assembly: Assembly, recruiting: Any
) -> None:
    respondent = selected(assembly, recruiting)
    code = respondent.confirm_code
    assert client.get("/confirm/").status_code == 200
    typed = f" {code[:4].lower()} - {code[4:].lower()} "
    response = client.post("/confirm/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == "/confirm/secret-token/"
    wrong = client.post("/confirm/", {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and "could not find this code" in wrong.content.decode()


def test_the_short_code_needs_a_live_invitation(client: Any, assembly: Assembly, recruiting: Any) -> None:
    respondent = register(assembly, recruiting)  # registered, never selected: no token
    assert client.post("/confirm/", {"code": respondent.confirm_code}).status_code == 400


def test_the_short_code_page_is_rate_limited(client: Any, settings: Any, db: None) -> None:
    settings.PLENARY_REGISTRATION_CODE_RATE_LIMIT = 3
    statuses = [client.post("/confirm/", {"code": "AAAA-AAAA"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_reserves_are_told_they_are_reserves(assembly: Assembly, recruiting: Any) -> None:
    with_contact(assembly)
    respondent = register(assembly, recruiting)
    respondent.status, respondent.reserve_position = RespondentStatus.RESERVE, 3
    respondent.save()
    notify_reserve(respondent, assembly)
    message = OutboxMessage.objects.get(template="reserve")
    assert message.recipient == respondent.email
    assert "You are a reserve" in message.subject
    assert "number 3" in message.body_text and CONTACT["contact_email"] in message.body_text
