"""Check-in: the endpoint is idempotent by the phone's key and by member, and
is a 404 outside the facilitator's assembly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import MemberStatus
from deliberation.attendance import services
from deliberation.models import Attendance, AttendanceStatus

pytestmark = pytest.mark.django_db


def record_url(session: Any) -> str:
    return reverse("portal:deliberation_checkin_record", args=[session.assembly.slug, session.pk])


def post_json(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", HTTP_ACCEPT="application/json")


def test_the_same_key_twice_records_one_row_and_answers_200_both_times(
    client: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    code = services.ensure_participant(member=alpha_member).badge_code
    client.force_login(facilitator)
    first = post_json(client, record_url(session), {"client_key": "key-1", "badge_code": code.lower()})
    again = post_json(client, record_url(session), {"client_key": "key-1", "badge_code": code})

    assert first.status_code == again.status_code == 200
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["name"] == "Alpha Member"
    row = Attendance.objects.get()
    assert (row.member, row.status, row.client_key, row.recorded_by) == (
        alpha_member,
        AttendanceStatus.PRESENT,
        "key-1",
        facilitator,
    )


def test_two_keys_for_the_same_member_still_one_row(
    client: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    client.force_login(facilitator)
    one = post_json(client, record_url(session), {"client_key": "phone-a", "member": alpha_member.pk})
    two = post_json(client, record_url(session), {"client_key": "phone-b", "member": alpha_member.pk})

    assert one.status_code == two.status_code == 200
    assert two.json()["message"] == "Alpha Member was already checked in."
    assert Attendance.objects.filter(session=session, member=alpha_member).count() == 1
    # The second phone's retry is still answered from the one row.
    assert (
        post_json(
            client, record_url(session), {"client_key": "phone-b", "member": alpha_member.pk}
        ).status_code
        == 200
    )
    assert Attendance.objects.count() == 1


def test_an_unknown_badge_code_is_refused_with_a_reason(client: Any, facilitator: Any, session: Any) -> None:
    client.force_login(facilitator)
    response = post_json(client, record_url(session), {"client_key": "k", "badge_code": "ZZZZZZ"})

    assert response.status_code == 400
    assert response.json()["error"] == "No member of this assembly has the badge code ZZZZZZ."
    assert not Attendance.objects.exists()


def test_a_badge_code_of_another_assembly_is_unknown_here(
    client: Any, facilitator: Any, session: Any, other_tenant: Any
) -> None:
    other = other_tenant.assembly.members.get()
    code = services.ensure_participant(member=other).badge_code
    client.force_login(facilitator)

    response = post_json(client, record_url(session), {"client_key": "k", "badge_code": code})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_a_withdrawn_member_cannot_be_checked_in(
    client: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    alpha_member.status = MemberStatus.WITHDRAWN
    alpha_member.save()
    client.force_login(facilitator)
    response = post_json(client, record_url(session), {"client_key": "k", "member": alpha_member.pk})
    assert response.status_code == 400
    assert "has left the assembly" in response.json()["error"]


def test_other_assemblys_facilitator_and_members_get_404(
    client: Any, other_facilitator: Any, session: Any, alpha_member: Any, tenant: Any
) -> None:
    pages = [
        record_url(session),
        reverse("portal:deliberation_checkin", args=[session.assembly.slug, session.pk]),
        reverse("portal:deliberation_checkin_sessions", args=[session.assembly.slug]),
        reverse("portal:deliberation_checkin_sw", args=[session.assembly.slug]),
    ]
    for user in (other_facilitator, tenant.member):  # another tenant's facilitator; a plain member
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        response = post_json(client, record_url(session), {"client_key": "k", "member": alpha_member.pk})
        assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_session_of_another_assembly_is_404_even_for_a_facilitator(
    client: Any, facilitator: Any, other_session: Any, session: Any
) -> None:
    client.force_login(facilitator)
    url = reverse("portal:deliberation_checkin_record", args=[session.assembly.slug, other_session.pk])
    assert post_json(client, url, {"client_key": "k", "member": 1}).status_code == 404


def test_without_javascript_the_plain_form_checks_in_and_says_so(
    client: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    code = services.ensure_participant(member=alpha_member).badge_code
    client.force_login(facilitator)
    page = reverse("portal:deliberation_checkin", args=[session.assembly.slug, session.pk])

    response = client.post(
        record_url(session), {"client_key": "form-key", "badge_code": f" {code[:3]}-{code[3:]} "}, follow=True
    )

    assert response.redirect_chain[-1][0] == page
    assert "Alpha Member is checked in." in response.content.decode()
    assert Attendance.objects.get().client_key == "form-key"


def test_the_checkin_page_lists_members_with_door_needs_only(
    client: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    participant = services.ensure_participant(member=alpha_member)
    participant.access_needs = ["step_free", "diet", "interpreter"]
    participant.interpreter_language = "Polish"
    participant.access_notes = "Allergic to nuts"
    participant.save()
    client.force_login(facilitator)

    body = client.get(
        reverse("portal:deliberation_checkin", args=[session.assembly.slug, session.pk])
    ).content.decode()

    assert "Alpha Member" in body and participant.badge_code in body
    assert "Step-free access" in body and "Interpreter (Polish)" in body
    assert "Dietary needs" not in body and "Allergic to nuts" not in body
    assert "checkin.js" in body and "<script>" not in body


def test_the_service_worker_is_served_with_a_scope_over_the_checkin_pages(
    client: Any, facilitator: Any, session: Any
) -> None:
    client.force_login(facilitator)
    response = client.get(reverse("portal:deliberation_checkin_sw", args=[session.assembly.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    scope = f"/portal/{session.assembly.slug}/facilitate/checkin/"
    assert response["Service-Worker-Allowed"] == scope
    assert reverse("portal:deliberation_checkin", args=[session.assembly.slug, session.pk]).startswith(scope)
    assert "deliberation/checkin/checkin.js" in response.content.decode()


def test_badge_codes_are_unique_and_made_once(alpha_member: Any, assembly: Any) -> None:
    from tests.factories import MemberFactory

    others = [MemberFactory(assembly=assembly) for _ in range(20)]
    found = services.ensure_participants(members=[alpha_member, *others])
    again = services.ensure_participants(members=[alpha_member, *others])

    codes = [p.badge_code for p in found.values()]
    assert len(set(codes)) == 21
    assert {p.pk for p in found.values()} == {p.pk for p in again.values()}


def test_members_with_the_same_name_show_their_badge_codes(
    client: Any, facilitator: Any, session: Any, assembly: Any
) -> None:
    from tests.factories import MemberFactory

    twins: list[Any] = [MemberFactory(assembly=assembly, display_name="Bethan Davies") for _ in range(2)]
    codes = [services.ensure_participant(member=t).badge_code for t in twins]
    client.force_login(facilitator)

    body = client.get(
        reverse("portal:deliberation_checkin", args=[session.assembly.slug, session.pk])
    ).content.decode()

    assert body.count(">Bethan Davies <span") == 2 and codes[0] != codes[1]
    for code in codes:
        assert (
            f'<span class="checkin__code" data-badge>Badge <span translate="no">{code}</span></span>' in body
        )
    assert 'for="name-filter">Name or badge code<' in body


def test_a_session_on_another_day_is_checked_in_with_a_notice(
    client: Any, facilitator: Any, assembly: Any, alpha_member: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from tests.factories import SessionFactory

    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=9)
    later: Any = SessionFactory(assembly=assembly, starts_at=starts)
    day = timezone.localtime(starts)
    expected = f"This session is on {day:%A} {day.day} {day:%B}, not today"
    code = services.ensure_participant(member=alpha_member).badge_code
    client.force_login(facilitator)

    page = client.get(reverse("portal:deliberation_checkin", args=[assembly.slug, later.pk])).content.decode()
    answer = post_json(client, record_url(later), {"client_key": "k-later", "badge_code": code})

    assert expected in page
    assert answer.status_code == 200 and answer.json()["ok"] is True
    assert expected in answer.json()["message"]
    assert Attendance.objects.get(session=later).status == AttendanceStatus.PRESENT


def test_todays_session_has_no_not_today_notice(
    client: Any, facilitator: Any, assembly: Any, alpha_member: Any
) -> None:
    from django.utils import timezone

    from tests.factories import SessionFactory

    today: Any = SessionFactory(assembly=assembly, starts_at=timezone.now().replace(microsecond=0))
    code = services.ensure_participant(member=alpha_member).badge_code
    client.force_login(facilitator)

    page = client.get(reverse("portal:deliberation_checkin", args=[assembly.slug, today.pk])).content.decode()
    answer = post_json(client, record_url(today), {"client_key": "k-today", "badge_code": code})

    assert "not today" not in page
    assert answer.json()["message"] == "Alpha Member is checked in."
