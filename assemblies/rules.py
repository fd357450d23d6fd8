"""The permission vocabulary for assemblies, shared by views, admin and API.

Predicates take (user, assembly). Anything a user may not even see answers 404
at the call site (see ``assemblies.access``); these rules decide what a user who
can see an assembly may do there.
"""

from __future__ import annotations

import rules

from .models import Assembly, Organisation, Role, TeamMembership
from .selectors import AnyUser, membership_of, organiser_role


def _has_role(minimum: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role_at_least_{minimum}")
    def check(user: AnyUser, assembly: Assembly | None) -> bool:
        role = organiser_role(user, assembly)
        return role is not None and Role.rank(role) >= Role.rank(minimum)

    return check


is_viewer = _has_role(Role.VIEWER)
is_facilitator = _has_role(Role.FACILITATOR)
is_organiser = _has_role(Role.ORGANISER)
is_owner = _has_role(Role.OWNER)


@rules.predicate
def is_member(user: AnyUser, assembly: Assembly | None) -> bool:
    return assembly is not None and membership_of(user, assembly) is not None


is_superuser = rules.is_superuser

# Organisers' side
rules.add_perm("assemblies.view_assembly", is_superuser | is_viewer)
rules.add_perm("assemblies.manage_assembly", is_superuser | is_organiser)
rules.add_perm("assemblies.change_stage", is_superuser | is_organiser)
rules.add_perm("assemblies.manage_team", is_superuser | is_owner)
rules.add_perm("assemblies.view_audit", is_superuser | is_organiser)
rules.add_perm("assemblies.see_demographics", is_superuser | is_organiser)
rules.add_perm("assemblies.facilitate", is_superuser | is_facilitator)
# Members' side
rules.add_perm("assemblies.use_portal", is_member)


@rules.predicate
def is_organisation_member(user: AnyUser, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return TeamMembership.objects.filter(user_id=user.pk, team__organisation=organisation).exists()


@rules.predicate
def is_organisation_owner(user: AnyUser, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return TeamMembership.objects.filter(
        user_id=user.pk, team__organisation=organisation, assembly__isnull=True, role=Role.OWNER
    ).exists()


rules.add_perm("assemblies.view_organisation", is_superuser | is_organisation_member)
rules.add_perm("assemblies.manage_organisation", is_superuser | is_organisation_owner)
