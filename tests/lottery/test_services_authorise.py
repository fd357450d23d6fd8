"""Services authorise before they act ("check, then do"): someone without the
permission on that assembly is refused and nothing changes; ``by=None`` is a
programming error; SYSTEM (tasks, public flows, the demo) may act."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, Role
from jobs.models import Job
from lottery.invitations import services as invitations
from lottery.models import Address, Feature, Invitation, InvitationRound, JobStatus, Respondent
from lottery.registration import services as registration
from lottery.selection import services as selection
from tests.factories import TeamMembershipFactory, UserFactory

from .invitations.conftest import address_csv, csv_file
from .registration.conftest import make_invitation

REGISTRATION = {
    "first_name": "Grace",
    "last_name": "Example",
    "email": "grace@example.org",  # not Ada, who is already in the pool
    "consent": True,
}

# name → a call of the service with ``by``, on the objects the test sets up.
CALLS: dict[str, Callable[[dict[str, Any], Any], Any]] = {
    "invitation_round_upload": lambda o, by: invitations.invitation_round_upload(
        round=InvitationRound(assembly=o["assembly"], name="Autumn", address_file=csv_file(address_csv(3))),
        by=by,
    ),
    "invitation_round_import_restart": lambda o, by: invitations.invitation_round_import_restart(
        round=o["round"], by=by
    ),
    "invitation_round_draw": lambda o, by: invitations.invitation_round_draw(round=o["round"], size=2, by=by),
    "invitation_round_letters_start": lambda o, by: invitations.invitation_round_letters_start(
        round=o["round"], by=by
    ),
    "invitation_round_delete": lambda o, by: invitations.invitation_round_delete(round=o["round"], by=by),
    "respondent_register": lambda o, by: registration.respondent_register(
        invitation=o["invitation"],
        data={**REGISTRATION, "answers": {}},
        language="en",
        by=by,
    ),
    "pool_import": lambda o, by: registration.pool_import(
        assembly=o["assembly"],
        file=SimpleUploadedFile("pool.csv", b"first_name,last_name,email\nGrace,Example,grace@example.org\n"),
        dry_run=False,
        by=by,
    ),
    "respondent_export": lambda o, by: registration.respondent_export(respondent=o["respondent"], by=by),
    "respondent_erase": lambda o, by: registration.respondent_erase(respondent=o["respondent"], by=by),
    "erase_unselected": lambda o, by: registration.erase_unselected(assembly=o["assembly"], by=by),
    "category_propose_seats": lambda o, by: registration.category_propose_seats(
        categories=[o["category"]], by=by
    ),
    "selection_run_start": lambda o, by: selection.selection_run_start(
        assembly=o["assembly"], request_key="authorise", by=by
    ),
    "panel_finalise": lambda o, by: selection.panel_finalise(assembly=o["assembly"], by=by),
}


@pytest.fixture
def objects(assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    from lottery.models import Category, RecruitmentSettings

    round_ = InvitationRound(assembly=assembly, name="Spring", address_file=csv_file(address_csv(5)))
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_round_upload(round=round_, by=organiser)
    Job.objects.filter(pk=round_.import_job_id).update(status=JobStatus.FAILED)
    round_.refresh_from_db()
    RecruitmentSettings.objects.create(
        assembly=assembly, panel_size=4, privacy_notice="We keep your answers."
    )
    type(assembly).objects.filter(pk=assembly.pk).update(stage="recruiting")  # registration is open
    assembly.refresh_from_db()
    category = Category.objects.create(assembly=assembly, name="gender", label="Gender")
    Feature.objects.create(assembly=assembly, category=category, value="female", label="Female")
    respondent = Respondent.objects.create(
        assembly=assembly,
        first_name="Ada",
        last_name="Example",
        email="ada@example.org",
        consented_at=timezone.now(),
    )
    return {
        "assembly": assembly,
        "round": round_,
        "category": category,
        "respondent": respondent,
        "invitation": make_invitation(assembly, 99),
    }


def _state() -> tuple[int, ...]:
    return (
        InvitationRound.objects.count(),
        Address.objects.count(),
        Invitation.objects.count(),
        Respondent.objects.count(),
        AuditEvent.objects.count(),
        *Feature.objects.values_list("max_seats", flat=True),
    )


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_viewer_or_another_tenant_is_refused_and_nothing_changes(
    name: str, objects: dict[str, Any], tenant: Any, other_organiser: Any
) -> None:
    viewer = UserFactory(username="viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    before = _state()
    for by in (viewer, other_organiser):
        with pytest.raises(PermissionDenied):
            CALLS[name](objects, by)
    assert _state() == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_by_none_is_a_programming_error(name: str, objects: dict[str, Any]) -> None:
    before = _state()
    with pytest.raises(TypeError, match="by="):
        CALLS[name](objects, None)
    assert _state() == before


def test_the_system_registers_and_is_recorded_as_no_one(objects: dict[str, Any]) -> None:
    respondent = CALLS["respondent_register"](objects, SYSTEM)
    event = AuditEvent.objects.get(action="respondent.registered")
    assert event.actor is None and event.object_id == str(respondent.pk)
