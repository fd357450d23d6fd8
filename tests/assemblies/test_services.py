from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assemblies.audit import mask, masked
from assemblies.models import AuditEvent, MemberStatus, Role, Stage
from assemblies.services import allowed_stages, assembly_transition
from notifications.models import OutboxMessage
from tests.factories import AssemblyFactory, MemberFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def recruiting(tenant: Any) -> Any:
    return AssemblyFactory(organisation=tenant.organisation, stage=Stage.RECRUITING)


def test_allowed_move_changes_stage_and_writes_audit_event(recruiting: Any, organiser: Any) -> None:
    assembly_transition(assembly=recruiting, to_stage=Stage.SELECTING, by=organiser)

    recruiting.refresh_from_db()
    assert recruiting.stage == Stage.SELECTING
    assert recruiting.stage_changed_at is not None
    event = AuditEvent.objects.get(assembly=recruiting, action="assembly.stage_changed")
    assert event.actor == organiser
    assert event.data == {"from": "recruiting", "to": "selecting"}


@pytest.mark.parametrize(
    ("start", "target"),
    [(Stage.DRAFT, Stage.DELIBERATING), (Stage.RECRUITING, Stage.PUBLISHED), (Stage.CLOSED, Stage.DRAFT)],
)
def test_forbidden_move_is_refused_and_changes_nothing(
    tenant: Any, organiser: Any, start: str, target: str
) -> None:
    assembly = AssemblyFactory(organisation=tenant.organisation, stage=start)

    with pytest.raises(ValidationError, match="cannot go from"):
        assembly_transition(assembly=assembly, to_stage=target, by=organiser)

    assembly.refresh_from_db()
    assert assembly.stage == start
    assert not AuditEvent.objects.filter(assembly=assembly).exists()


def test_unknown_stage_is_a_validation_error(recruiting: Any, organiser: Any) -> None:
    with pytest.raises(ValidationError, match="is not a stage"):
        assembly_transition(assembly=recruiting, to_stage="party", by=organiser)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_viewers_and_facilitators_cannot_move_stages(recruiting: Any, tenant: Any, role: str) -> None:
    user = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=user, role=role)

    with pytest.raises(PermissionDenied):
        assembly_transition(assembly=recruiting, to_stage=Stage.SELECTING, by=user)
    recruiting.refresh_from_db()
    assert recruiting.stage == Stage.RECRUITING


def test_other_organisations_organiser_cannot_move_stages(recruiting: Any, other_organiser: Any) -> None:
    with pytest.raises(PermissionDenied):
        assembly_transition(assembly=recruiting, to_stage=Stage.SELECTING, by=other_organiser)


def test_community_assembly_may_skip_the_lottery(tenant: Any) -> None:
    community = AssemblyFactory(
        organisation=tenant.organisation, kind="community", parent=tenant.assembly, stage="draft"
    )
    core_draft = AssemblyFactory(organisation=tenant.organisation, stage="draft")

    assert Stage.DELIBERATING in allowed_stages(community)
    assert Stage.DELIBERATING not in allowed_stages(core_draft)


def test_members_are_emailed_after_commit_when_deliberation_starts(
    tenant: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly = AssemblyFactory(organisation=tenant.organisation, stage=Stage.SELECTING)
    confirmed = MemberFactory(assembly=assembly, user=UserFactory(email="rosa@example.org"))
    MemberFactory(assembly=assembly, status=MemberStatus.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assembly_transition(assembly=assembly, to_stage=Stage.DELIBERATING, by=organiser)

    messages = OutboxMessage.objects.filter(assembly=assembly)
    assert [m.recipient for m in messages] == [confirmed.user.email]
    assert messages[0].template == "stage_changed"
    # The send is enqueued only once the transaction commits (other apps' stage hooks run then too).
    assert messages[0].status == "queued" and callbacks
    for callback in callbacks:
        callback()
    assert OutboxMessage.objects.get(pk=messages[0].pk).status == "sent"


def test_audit_data_masks_personal_data() -> None:
    assert mask("jane.doe@example.org") == "j***@e***.org"
    assert masked({"email": "jane@example.org", "name": "Jane Doe", "count": 3}) == {
        "email": "j***@e***.org",
        "name": "J***",
        "count": 3,
    }
