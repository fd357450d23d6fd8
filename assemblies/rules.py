"""The permission vocabulary for assemblies, shared by views, admin and API.

Predicates take (user, assembly). Anything a user may not even see answers 404
at the call site (see ``assemblies.access``); these rules decide what a user who
can see an assembly may do there.
"""

from __future__ import annotations

import rules

from .models import Assembly, Organisation, Role, TeamMembership
from .selectors import AnyUser, is_organiser_anywhere, membership_of, organiser_role


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

# Permission names: code asks for these constants, never for a role's rank.
VIEW_ASSEMBLY = "assemblies.view_assembly"
MANAGE_ASSEMBLY = "assemblies.manage_assembly"
CHANGE_STAGE = "assemblies.change_stage"
VIEW_AUDIT = "assemblies.view_audit"
# Names, contact details and demographic answers of respondents and members, and
# anything that carries them (the outbox, exports): special-category data.
SEE_PERSONAL_DATA = "assemblies.see_personal_data"
USE_PORTAL = "assemblies.use_portal"

# Any organiser role anywhere (even in an organisation with no assembly yet):
# enters the admin. Lower layers (accounts) ask for it by this name.
ORGANISE = "assemblies.organise"


@rules.predicate
def organises_somewhere(user: AnyUser) -> bool:
    return is_organiser_anywhere(user)


rules.add_perm(ORGANISE, is_superuser | organises_somewhere)

# Organisers' side
rules.add_perm(VIEW_ASSEMBLY, is_superuser | is_viewer)
rules.add_perm(MANAGE_ASSEMBLY, is_superuser | is_organiser)
rules.add_perm(CHANGE_STAGE, is_superuser | is_organiser)
rules.add_perm(VIEW_AUDIT, is_superuser | is_organiser)
rules.add_perm(SEE_PERSONAL_DATA, is_superuser | is_organiser)
# Members' side: the portal of their assembly (``access.member_assembly``).
rules.add_perm(USE_PORTAL, is_member)
# Organisers' teams are managed per organisation (``manage_organisation``);
# facilitators' own permissions come with the deliberation app.


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


VIEW_ORGANISATION = "assemblies.view_organisation"
MANAGE_ORGANISATION = "assemblies.manage_organisation"
rules.add_perm(VIEW_ORGANISATION, is_superuser | is_organisation_member)
rules.add_perm(MANAGE_ORGANISATION, is_superuser | is_organisation_owner)
