"""Erasure of everyone not selected once the panel is final, and of all of stage 1's files."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent
from lottery.models import (
    Address,
    Answer,
    Invitation,
    InvitationRound,
    LetterBatch,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
)
from lottery.registration import services
from lottery.registration.tasks import assemblies_due_for_erasure, erase_expired_respondents
from notifications.models import OutboxMessage

from .conftest import make_invitation

pytestmark = pytest.mark.django_db


def register(
    assembly: Any, recruiting: Any, n: int, status: str = RespondentStatus.REGISTERED, **kw: Any
) -> Respondent:
    data = {
        "first_name": kw.pop("first_name", f"Person{n}"),
        "last_name": kw.pop("last_name", "Example"),
        "email": kw.pop("email", f"person{n}@example.org"),
        "consent": True,
        "answers": {recruiting["gender"].pk: "female", recruiting["age"].pk: "30-59"},
    }
    respondent = services.respondent_register(
        invitation=make_invitation(assembly, n, line1=kw.pop("line1", None)),
        data=data,
        language="en",
        by=SYSTEM,
    )
    Respondent.objects.filter(pk=respondent.pk).update(status=status)
    return respondent


def finalise(assembly: Any, days_ago: int) -> None:
    RecruitmentSettings.objects.filter(assembly=assembly).update(
        panel_final_at=timezone.now() - dt.timedelta(days=days_ago), retention_days=30
    )


def test_job_erases_exactly_the_unselected(
    assembly: Any, recruiting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    people = {
        status: register(assembly, recruiting, i, status)
        for i, status in enumerate(RespondentStatus.values, start=1)
    }
    finalise(assembly, days_ago=29)
    assert assemblies_due_for_erasure() == []
    assert erase_expired_respondents() == 0
    assert Respondent.objects.count() == len(people)

    finalise(assembly, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert erase_expired_respondents.delay().get() == 1
    kept = set(Respondent.objects.values_list("status", flat=True))
    assert kept == {RespondentStatus.SELECTED, RespondentStatus.CONFIRMED}
    assert Answer.objects.filter(respondent__status=RespondentStatus.REGISTERED).count() == 0
    assert Answer.objects.count() == 4  # two answers each for the two kept
    assert not Address.objects.filter(assembly=assembly).exists()
    assert not Invitation.objects.filter(assembly=assembly).exists()
    settings = RecruitmentSettings.objects.get(assembly=assembly)
    assert settings.unselected_erased_at is not None
    # Idempotent: the job does not come back, the service skips.
    assert assemblies_due_for_erasure() == []
    assert services.erase_unselected(assembly=assembly, by=SYSTEM).skipped


def test_other_assemblies_untouched(assembly: Any, other_assembly: Any, recruiting: Any) -> None:
    from .conftest import setup_recruitment

    other = setup_recruitment(other_assembly)
    register(assembly, recruiting, 1)
    register(other_assembly, other, 2)
    finalise(assembly, days_ago=40)
    erase_expired_respondents()
    assert list(Respondent.objects.values_list("assembly", flat=True)) == [other_assembly.pk]


def _strings_in_database(needles: list[str]) -> list[str]:
    """Every text-like column of every model, scanned for the needles."""
    found = []
    text_fields = (models.CharField, models.TextField, models.JSONField, models.EmailField)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, (*text_fields, models.FileField))
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            blob = json.dumps(row, default=str).lower()
            found += [f"{model._meta.label}: {n}" for n in needles if n.lower() in blob]
    return found


def _strings_in_files(needles: list[str]) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(django_settings.MEDIA_ROOT):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                content = handle.read().lower()
            found += [f"{name}: {n}" for n in needles if n.lower().encode() in content]
    return found


def test_seeded_personal_data_is_gone_everywhere(
    client: Any,
    organiser_client: Any,
    assembly: Any,
    recruiting: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    name, email, street = "Zephyrine Quillfeather", "zq-7h3k@unique.example.org", "77 Xylophone Lane"
    # Stage 1: the address file and a letter PDF that carry the address.
    round_ = InvitationRound.objects.create(assembly=assembly, name="Round 1")
    round_.address_file.save("addresses.csv", ContentFile(f"line1,postcode\n{street},AB1 2CD\n".encode()))
    batch = LetterBatch.objects.create(
        assembly=assembly, round=round_, number=1, first_invitation=1, last_invitation=1
    )
    batch.pdf.save("letters.pdf", ContentFile(f"%PDF-1.4 To the resident, {street}".encode()))
    # Stage 2: registration through the public form.
    invitation = make_invitation(assembly, 1, line1=street)
    client.post("/register/", {"code": invitation.code})
    response = client.post(
        "/register/details/",
        {
            "first_name": "Zephyrine", "last_name": "Quillfeather", "email": email, "phone": "",
            f"category_{recruiting['gender'].pk}": "female", f"category_{recruiting['age'].pk}": "16-29",
            "access_needs": "Needs Quillfeather-brand ramp", "consent": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    respondent = Respondent.objects.get(email=email)
    # An email sent to them, an export and an admin edit (audited).
    OutboxMessage.objects.create(
        assembly=assembly, recipient=email, subject=f"Hello {name}", body_text=f"Dear {name}"
    )
    organiser_client.get(f"/admin/lottery/respondent/{respondent.pk}/export/csv/")
    needles = [name, "Zephyrine", "Quillfeather", email, street]
    assert _strings_in_database(needles) and _strings_in_files(needles)

    finalise(assembly, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        erase_expired_respondents()

    assert _strings_in_database(needles) == []
    assert _strings_in_files(needles) == []
    assert not OutboxMessage.objects.filter(recipient=email).exists()
    for event in AuditEvent.objects.all():
        assert not any(n.lower() in (event.object_repr + json.dumps(event.data)).lower() for n in needles)
    # Pool exports made afterwards cannot contain them either.
    assert not Respondent.objects.filter(assembly=assembly).exists()


def test_erase_on_request(assembly: Any, recruiting: Any, organiser: Any) -> None:
    respondent = register(assembly, recruiting, 1, status=RespondentStatus.SELECTED)
    other = register(assembly, recruiting, 2)
    OutboxMessage.objects.create(assembly=assembly, recipient="PERSON1@example.org", subject="x")
    OutboxMessage.objects.create(assembly=assembly, recipient="person2@example.org", subject="y")
    services.respondent_erase(respondent=respondent, by=organiser)
    assert list(Respondent.objects.all()) == [other]
    # The other person keeps their messages (their registration email among them).
    assert set(OutboxMessage.objects.values_list("recipient", flat=True)) == {"person2@example.org"}
    assert Address.objects.filter(assembly=assembly).count() == 1
    assert AuditEvent.objects.filter(action="respondent.erased", object_repr=str(respondent)).exists()
