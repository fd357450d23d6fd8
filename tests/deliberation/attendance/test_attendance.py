"""Attendance per session: marks, missed-session flags, withdrawals through
selection's replacement flow, the logistics list and badges."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assemblies.models import AuditEvent, MemberStatus, Role
from assemblies.registry import registry
from deliberation.attendance import selectors, services
from deliberation.models import Attendance, AttendanceStatus, SessionStatus
from lottery.models import RecruitmentSettings, RespondentStatus
from tests.deliberation.attendance.conftest import held_session, members
from tests.factories import MemberFactory, RespondentFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_two_missed_sessions_flag_a_member_and_excused_ones_do_not(
    assembly: Any, organiser: Any, alpha_member: Any
) -> None:
    first, second, third = (held_session(assembly, d) for d in (30, 20, 10))
    other = MemberFactory(assembly=assembly, display_name="Excused Twice")
    services.attendance_mark(session=first, member=alpha_member, status=AttendanceStatus.ABSENT, by=organiser)
    for session in (first, second):
        services.attendance_mark(session=session, member=other, status=AttendanceStatus.EXCUSED, by=organiser)
    assert selectors.flagged_members(assembly) == []

    services.attendance_mark(session=third, member=alpha_member, status=AttendanceStatus.ABSENT, by=organiser)

    assert selectors.flagged_members(assembly) == [(alpha_member, 2)]
    section = next(s for s in registry.sections_for(assembly) if s.key == "attendance")
    figures = {str(f.label): f.value for f in section.figures}
    assert figures["Members who missed 2 sessions or more"] == 1
    assert figures["Sessions held"] == 3


def test_absences_at_sessions_not_held_do_not_count(assembly: Any, organiser: Any, alpha_member: Any) -> None:
    planned = [held_session(assembly, d) for d in (3, 2)]
    for session in planned:
        session.status = SessionStatus.PLANNED
        session.save()
        services.attendance_mark(
            session=session, member=alpha_member, status=AttendanceStatus.ABSENT, by=organiser
        )
    assert selectors.flagged_members(assembly) == []


def test_closing_a_session_records_the_rest_absent_and_marks_it_held(
    assembly: Any, organiser: Any, facilitator: Any, session: Any, alpha_member: Any
) -> None:
    late, excused = members(assembly, 2)
    services.checkin(session=session, member=alpha_member, client_key="k1", by=facilitator)
    services.attendance_mark(session=session, member=excused, status=AttendanceStatus.EXCUSED, by=organiser)

    assert services.attendance_mark_rest_absent(session=session, by=organiser) == 1

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    statuses = dict(Attendance.objects.filter(session=session).values_list("member_id", "status"))
    assert statuses == {alpha_member.pk: "present", excused.pk: "excused", late.pk: "absent"}


def test_a_facilitator_checks_in_but_may_not_mark_absent(
    facilitator: Any, session: Any, alpha_member: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.attendance_mark(session=session, member=alpha_member, status="absent", by=facilitator)


def test_withdrawal_calls_the_replacement_flow_while_the_panel_can_change(
    assembly: Any, organiser: Any, alpha_member: Any
) -> None:
    respondent = RespondentFactory(assembly=assembly, status=RespondentStatus.CONFIRMED, member=alpha_member)
    with mock.patch("lottery.selection.services.panel.respondent_withdraw") as withdraw:
        message = services.member_withdraw(member=alpha_member, by=organiser)

    withdraw.assert_called_once_with(respondent=respondent, by=organiser)
    assert "has left" in message
    assert AuditEvent.objects.filter(action="deliberation.member_withdrawn", data__replacement=True).exists()


def test_withdrawal_through_the_real_flow_frees_the_seat(
    assembly: Any, organiser: Any, alpha_member: Any
) -> None:
    RecruitmentSettings.objects.create(assembly=assembly, panel_size=1)
    respondent = RespondentFactory(assembly=assembly, status=RespondentStatus.CONFIRMED, member=alpha_member)

    message = services.member_withdraw(member=alpha_member, by=organiser)

    respondent.refresh_from_db()
    alpha_member.refresh_from_db()
    assert respondent.status == RespondentStatus.WITHDRAWN
    assert alpha_member.status == MemberStatus.WITHDRAWN
    assert "Alpha Member has left" in message


def test_after_the_panel_is_final_withdrawal_only_marks_the_member(
    assembly: Any, organiser: Any, alpha_member: Any
) -> None:
    RecruitmentSettings.objects.create(assembly=assembly, panel_size=5, panel_final_at=timezone.now())
    respondent = RespondentFactory(assembly=assembly, status=RespondentStatus.CONFIRMED, member=alpha_member)
    with mock.patch("lottery.selection.services.panel.respondent_withdraw") as withdraw:
        message = services.member_withdraw(member=alpha_member, by=organiser)

    withdraw.assert_not_called()
    alpha_member.refresh_from_db()
    respondent.refresh_from_db()
    assert alpha_member.status == MemberStatus.WITHDRAWN
    assert respondent.status == RespondentStatus.WITHDRAWN
    assert message == "Alpha Member is marked as having left. The panel is final, so nobody replaces them."
    with pytest.raises(ValidationError):
        services.member_withdraw(member=alpha_member, by=organiser)


def test_withdraw_screen_says_what_happened(organiser_client: Any, assembly: Any, alpha_member: Any) -> None:
    url = reverse("admin:deliberation_attendance_withdraw", args=[assembly.pk, alpha_member.pk])
    response = organiser_client.post(url, follow=True)
    assert "Alpha Member is marked as having left." in response.content.decode()


def test_access_needs_come_from_registration(assembly: Any, alpha_member: Any) -> None:
    RespondentFactory(
        assembly=assembly,
        member=alpha_member,
        access_need_list=["step_free", "interpreter", "not-a-need"],
        interpreter_language="BSL",
        access_needs="Quiet room please",
    )
    participant = services.ensure_participant(member=alpha_member)
    assert participant.access_needs == ["step_free", "interpreter"]
    assert (participant.interpreter_language, participant.access_notes) == ("BSL", "Quiet room please")


def test_registration_form_collects_structured_needs(assembly: Any) -> None:
    from lottery.registration.forms import RegistrationForm

    settings = RecruitmentSettings.objects.create(assembly=assembly, panel_size=5)
    form = RegistrationForm(
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@example.org",
            "access_need_list": ["hearing_loop", "childcare"],
            "interpreter_language": "",
            "access_needs": "Near the door",
            "consent": "on",
        },
        assembly=assembly,
        settings=settings,
    )
    assert form.is_valid(), form.errors
    data = form.registration_data()
    assert data["access_need_list"] == ["hearing_loop", "childcare"]
    assert data["access_needs"] == "Near the door"


def test_logistics_counts_for_viewers_names_only_with_personal_data(
    client: Any, organiser_client: Any, tenant: Any, assembly: Any, alpha_member: Any
) -> None:
    participant = services.ensure_participant(member=alpha_member)
    participant.access_needs = ["step_free", "diet"]
    participant.access_notes = "Vegan"
    participant.save()
    url = reverse("admin:deliberation_attendance_logistics", args=[assembly.pk])

    body = organiser_client.get(url).content.decode()
    assert "Alpha Member" in body and "Vegan" in body

    viewer = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Step-free access" in body
    assert "Alpha Member" not in body and "Vegan" not in body


def test_organisers_edit_needs(organiser_client: Any, assembly: Any, alpha_member: Any) -> None:
    url = reverse("admin:deliberation_attendance_needs", args=[assembly.pk, alpha_member.pk])
    assert organiser_client.get(url).status_code == 200
    response = organiser_client.post(
        url, {"needs": ["hearing_loop"], "interpreter_language": "", "notes": "x"}
    )
    assert response.status_code == 302
    assert services.ensure_participant(member=alpha_member).access_needs == ["hearing_loop"]


def test_badges_pdf(organiser_client: Any, assembly: Any, alpha_member: Any) -> None:
    response = organiser_client.get(reverse("admin:deliberation_attendance_badges", args=[assembly.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_qr_code_is_an_svg_data_uri() -> None:
    from deliberation.attendance.documents import qr_data_uri

    assert qr_data_uri("K7P2QX").startswith("data:image/svg+xml;base64,")


def test_attendance_list_queries_do_not_grow_with_members(
    organiser_client: Any, assembly: Any, organiser: Any, session: Any
) -> None:
    url = reverse("admin:deliberation_attendance_session", args=[assembly.pk, session.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organiser_client.get(url).status_code == 200
        return len(captured)

    for member in members(assembly, 1):
        services.attendance_mark(session=session, member=member, status="present", by=organiser)
    few = count()
    for member in members(assembly, 5):
        services.attendance_mark(session=session, member=member, status="absent", by=organiser)
    many = count()
    assert many == few <= 30

    overview = reverse("admin:deliberation_attendance_overview", args=[assembly.pk])
    with CaptureQueriesContext(connection) as captured:
        assert organiser_client.get(overview).status_code == 200
    assert len(captured) <= 30


def test_needs_ticked_at_registration_reach_the_participant(assembly: Any, alpha_member: Any) -> None:
    from assemblies.actors import SYSTEM
    from lottery.registration import services as registration
    from tests.lottery.registration.conftest import make_invitation, setup_recruitment

    recruiting = setup_recruitment(assembly)
    respondent = registration.respondent_register(
        invitation=make_invitation(assembly, 1),
        data={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "consent": True,
            "answers": {recruiting["gender"].pk: "female", recruiting["age"].pk: "30-59"},
            "access_need_list": ["interpreter", "diet"],
            "interpreter_language": "Polish",
            "access_needs": "Vegetarian",
        },
        language="en",
        by=SYSTEM,
    )
    assert (respondent.access_need_list, respondent.interpreter_language) == (
        ["interpreter", "diet"],
        "Polish",
    )
    respondent.member = alpha_member
    respondent.save()

    participant = services.ensure_participant(member=alpha_member)

    assert participant.access_needs == ["interpreter", "diet"]
    assert (participant.interpreter_language, participant.access_notes) == ("Polish", "Vegetarian")
