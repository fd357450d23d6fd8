"""Erasure and the member's copy of their data, across deliberation's parts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assemblies.actors import SYSTEM
from assemblies.models import Member
from deliberation.models import Attendance, Concern, Participant
from deliberation.voice import services
from deliberation.voice.privacy import erase_member_data, member_links
from lottery.registration.services import respondent_erase
from tests.factories import MemberFactory, RespondentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def deliberation_rows(member: Member) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.filter(**{field: member}).count()
        for model, field in member_links()
        if model._default_manager.filter(**{field: member}).exists()
    }


def give_rows(member: Member) -> None:
    session = SessionFactory(assembly=member.assembly)
    Attendance.objects.create(session=session, member=member, status="present")
    Participant.objects.create(member=member)
    services.concern_raise(member=member, text="A private worry", by=SYSTEM)
    try:
        from tests.factories import QuestionFactory

        QuestionFactory(session=session, member=member)
    except Exception:  # noqa: S110 - the questions part may not be there yet
        pass


def _expense_with_receipt(member: Member, stored: str) -> Any:
    """An expense with a receipt file, when the stipends part exists (None before)."""
    from django.apps import apps
    from django.db import transaction

    try:
        model = apps.get_model("deliberation", "Expense")
    except LookupError:
        return None
    try:
        with transaction.atomic():
            return model._default_manager.create(
                assembly=member.assembly, member=member, kind="travel", amount="12.50", receipt=stored
            )
    except Exception:
        return None


def test_every_part_that_points_at_members_is_covered() -> None:
    labels = {model._meta.label for model, _field in member_links()}
    assert {"deliberation.Attendance", "deliberation.Participant", "deliberation.Concern"} <= labels


def test_erasing_a_member_removes_their_deliberation_rows_and_files(
    tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    other = MemberFactory(assembly=tenant.assembly)
    give_rows(member)
    give_rows(other)
    stored = default_storage.save("deliberation/test-receipt.txt", ContentFile(b"receipt"))
    expense = _expense_with_receipt(member, stored)

    with django_capture_on_commit_callbacks(execute=True):
        counts = erase_member_data(member)

    assert deliberation_rows(member) == {}
    assert counts["deliberation.Concern"] == 1 and counts["deliberation.Attendance"] == 1
    assert Concern.objects.filter(member=other).count() == 1  # nobody else's
    if expense is not None:
        assert not default_storage.exists(stored)
    else:
        default_storage.delete(stored)


def test_erasing_a_respondent_who_became_a_member_erases_their_deliberation_rows(tenant: Any) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    respondent = RespondentFactory(assembly=tenant.assembly, member=member, status="confirmed")
    give_rows(member)

    respondent_erase(respondent=respondent, by=tenant.organiser)

    assert deliberation_rows(member) == {}


def test_a_member_downloads_everything_held_about_them(member_client: Any, tenant: Any) -> None:
    member = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    RespondentFactory(assembly=tenant.assembly, member=member, first_name="Ada", postcode="NS1 2AB")
    give_rows(member)
    MemberFactory(assembly=tenant.assembly, display_name="Someone Else")

    services.announcement_send(
        assembly=tenant.assembly,
        audience="all",
        subjects={"en": "Lunch"},
        bodies={"en": "Bring one."},
        by=SYSTEM,
    )
    response = member_client.get(f"/portal/{tenant.assembly.slug}/my-data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["member"]["email"] == "alpha-member@example.org"
    assert data["registration"]["first_name"] == "Ada" and data["registration"]["postcode"] == "NS1 2AB"
    assert "confirm_token" not in data["registration"]
    assert [c["text"] for c in data["concerns"]] == ["A private worry"]
    assert data["attendance"][0]["status"] == "present"
    assert "calendar_token" not in data["participants"][0]
    assert [e["text"].count("Bring one.") for e in data["emails"]] == [1]
    assert "Someone Else" not in response.content.decode()


def test_the_retention_erasure_of_those_not_on_the_panel_covers_their_deliberation_rows(tenant: Any) -> None:
    from lottery.models import RecruitmentSettings
    from lottery.registration.services import erase_unselected

    RecruitmentSettings.objects.get_or_create(assembly=tenant.assembly, defaults={"panel_size": 4})
    withdrawn = MemberFactory(assembly=tenant.assembly)
    RespondentFactory(assembly=tenant.assembly, member=withdrawn, status="withdrawn")
    kept = Member.objects.get(assembly=tenant.assembly, user=tenant.member)
    RespondentFactory(assembly=tenant.assembly, member=kept, status="confirmed")
    give_rows(withdrawn)
    give_rows(kept)
    Member.objects.filter(pk=withdrawn.pk).update(status="withdrawn")  # dropped out after a while

    erase_unselected(assembly=tenant.assembly, by=SYSTEM)

    assert deliberation_rows(withdrawn) == {}
    assert deliberation_rows(kept)["deliberation.Concern"] == 1
