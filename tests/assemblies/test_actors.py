"""Who acts in a service: a user with the permission, or SYSTEM; never None."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from assemblies.actors import SYSTEM, acting_user, authorise, require_actor
from assemblies.audit import audit_record
from assemblies.rules import MANAGE_ASSEMBLY


def test_a_user_needs_the_permission_on_that_assembly(
    assembly: Any, other_assembly: Any, organiser: Any
) -> None:
    authorise(organiser, MANAGE_ASSEMBLY, assembly)
    with pytest.raises(PermissionDenied, match="not allowed here"):
        authorise(organiser, MANAGE_ASSEMBLY, other_assembly, "not allowed here")
    with pytest.raises(PermissionDenied):
        authorise(AnonymousUser(), MANAGE_ASSEMBLY, assembly)


def test_the_system_may_act_anywhere_but_has_no_permission_of_its_own(assembly: Any) -> None:
    authorise(SYSTEM, MANAGE_ASSEMBLY, assembly)
    # Code that does not know SYSTEM (rules, templates) sees no account and no right.
    assert not SYSTEM.is_authenticated
    assert not SYSTEM.has_perm(MANAGE_ASSEMBLY, assembly)
    assert AnonymousUser() != SYSTEM and AnonymousUser() != SYSTEM
    assert acting_user(SYSTEM) is None


@pytest.mark.parametrize("by", [None, "organiser@example.org", 1])
def test_a_missing_or_wrong_actor_is_a_type_error(assembly: Any, by: Any) -> None:
    with pytest.raises(TypeError, match="by="):
        authorise(by, MANAGE_ASSEMBLY, assembly)
    with pytest.raises(TypeError):
        require_actor(by)


def test_the_audit_log_records_the_system_as_no_actor(assembly: Any, organiser: Any) -> None:
    by_system = audit_record(action="test.system", by=SYSTEM, assembly=assembly)
    by_user = audit_record(action="test.user", by=organiser, assembly=assembly)
    assert by_system.actor is None
    assert by_user.actor == organiser
    assert acting_user(organiser) == organiser
