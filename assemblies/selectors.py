"""Reads that decide who sees what. Every tenant filter starts here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from .models import Assembly, Member, MemberRole, MemberStatus, Organisation, Role, TeamMembership

AnyUser = AbstractBaseUser | AnonymousUser

_ROLE_CACHE = "_plenary_organiser_roles"
_ORGANISER_CACHE = "_plenary_is_organiser"
_MEMBERSHIP_CACHE = "_plenary_memberships"


def organiser_roles(user: AnyUser) -> dict[int, str]:
    """Map assembly id -> the user's strongest organiser role in it.

    Computed once per user object (i.e. once per request) in two queries and
    cached on the instance; services that change memberships call
    ``forget_roles``.
    """
    if not user.is_authenticated:
        return {}
    cached: dict[int, str] | None = getattr(user, _ROLE_CACHE, None)
    if cached is not None:
        return cached
    roles: dict[int, str] = {}

    def keep(assembly_id: int, role: str) -> None:
        if Role.rank(role) > Role.rank(roles.get(assembly_id, "")):
            roles[assembly_id] = role

    memberships = TeamMembership.objects.filter(user_id=user.pk).values_list(
        "assembly_id", "team__organisation_id", "role"
    )
    org_roles: dict[int, str] = {}
    for assembly_id, organisation_id, role in memberships:
        if assembly_id is not None:
            keep(assembly_id, role)
        elif Role.rank(role) > Role.rank(org_roles.get(organisation_id, "")):
            org_roles[organisation_id] = role
    if org_roles:
        for assembly_id, organisation_id in Assembly.objects.filter(
            organisation_id__in=org_roles
        ).values_list("id", "organisation_id"):
            keep(assembly_id, org_roles[organisation_id])
    setattr(user, _ROLE_CACHE, roles)
    return roles


def forget_roles(user: AnyUser) -> None:
    for attribute in (_ROLE_CACHE, _ORGANISER_CACHE, _MEMBERSHIP_CACHE):
        if hasattr(user, attribute):
            delattr(user, attribute)


def organiser_role(user: AnyUser, assembly: Assembly | int | None) -> str | None:
    if assembly is None:
        return None
    assembly_id = assembly if isinstance(assembly, int) else assembly.pk
    return organiser_roles(user).get(assembly_id)


def is_organiser_anywhere(user: AnyUser) -> bool:
    """Has any team membership (even in an organisation with no assembly yet).
    Cached on the user object like ``organiser_roles``."""
    if not user.is_authenticated:
        return False
    cached: bool | None = getattr(user, _ORGANISER_CACHE, None)
    if cached is None:
        cached = TeamMembership.objects.filter(user_id=user.pk).exists()
        setattr(user, _ORGANISER_CACHE, cached)
    return cached


def assemblies_for_organiser(user: AnyUser) -> QuerySet[Assembly]:
    """Assemblies in which the user has any organiser role (superusers: all):
    the tenant filter. What the user may *do* there is ``assemblies_where``."""
    if not user.is_authenticated:
        return Assembly.objects.none()
    if getattr(user, "is_superuser", False):
        return Assembly.objects.all()
    return Assembly.objects.filter(id__in=list(organiser_roles(user)))


def _ids_where(user: AnyUser, perm: str) -> list[int]:
    # The predicates read the cached roles by id, so an unsaved stand-in is
    # enough: no query per assembly.
    return [pk for pk in organiser_roles(user) if user.has_perm(perm, Assembly(pk=pk))]  # type: ignore[union-attr]


def assemblies_where(user: AnyUser, perm: str) -> QuerySet[Assembly]:
    """Assemblies in which ``user`` holds ``perm`` (a ``rules`` permission name).

    The one way to ask "where may this user do X": no code compares role ranks."""
    if not user.is_authenticated:
        return Assembly.objects.none()
    if getattr(user, "is_superuser", False):
        return Assembly.objects.all()
    return Assembly.objects.filter(id__in=_ids_where(user, perm))


def has_perm_anywhere(user: AnyUser, perm: str) -> bool:
    """Whether ``user`` holds ``perm`` in at least one assembly (no query once
    the roles are cached)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(_ids_where(user, perm))


def organisations_for_organiser(user: AnyUser) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    return Organisation.objects.filter(teams__memberships__user_id=user.pk).distinct()


def member_assemblies(user: AnyUser) -> QuerySet[Assembly]:
    """Assemblies in which the user takes part as a member, reserve or facilitator."""
    if not user.is_authenticated:
        return Assembly.objects.none()
    return (
        Assembly.objects.filter(members__user_id=user.pk)
        .exclude(members__status=MemberStatus.WITHDRAWN, members__user_id=user.pk)
        .select_related("organisation")
        .distinct()
    )


def membership_of(user: AnyUser, assembly: Assembly) -> Member | None:
    """The user's active membership of ``assembly``; cached on the user object
    (i.e. per request), so the portal's rule and its view share one query."""
    if not user.is_authenticated:
        return None
    cache: dict[int, Member | None] = user.__dict__.setdefault(_MEMBERSHIP_CACHE, {})
    if assembly.pk not in cache:
        cache[assembly.pk] = Member.objects.active().filter(user_id=user.pk, assembly=assembly).first()
    return cache[assembly.pk]


# --- figures: one definition each, used by the dashboard, public pages and the API ---
#: A seated member: confirmed, in the member role (not a facilitator, not a reserve).
SEATED_FIELDS = {"role": MemberRole.MEMBER, "status": MemberStatus.CONFIRMED}
SEATED = Q(**SEATED_FIELDS)


def _through(prefix: str) -> Q:
    """``SEATED`` for members reached through ``prefix`` (e.g. "members")."""
    return Q(**{f"{prefix}__{key}": value for key, value in SEATED_FIELDS.items()})


def member_count(assembly: Assembly) -> int:
    """Members who hold a seat: the figure the public pages call "members"."""
    return assembly.members.filter(SEATED).count()


def stage_notice_count(assembly: Assembly) -> int:
    """How many people a stage move emails (``services._notify_members_of_stage``:
    active, confirmed members of any role with an email address)."""
    return (
        Member.objects.active()
        .filter(assembly=assembly, status=MemberStatus.CONFIRMED)
        .exclude(user__email="")
        .count()
    )


def public_assemblies() -> QuerySet[Assembly]:
    return (
        Assembly.objects.public()
        .select_related("organisation")
        .annotate(member_count=Count("members", filter=_through("members")))
        .order_by("-starts_on", "title")
    )


def dashboard_counts(assembly: Assembly) -> dict[str, int]:
    """The "People" figures of the dashboard: members' accounts in the portal.

    The panel's figures (selected, reserves, vacant seats) come from the
    lottery's own selector in its dashboard section; ``invited`` and
    ``reserves`` here count only members added by hand (an assembly chosen
    outside the platform), and the dashboard hides them when zero so that
    they never sit beside the panel's figures with another meaning."""
    counts = assembly.members.aggregate(
        confirmed=Count("id", filter=SEATED),
        invited=Count("id", filter=Q(status=MemberStatus.INVITED)),
        reserves=Count("id", filter=Q(role=MemberRole.RESERVE) & ~Q(status=MemberStatus.WITHDRAWN)),
        facilitators=Count("id", filter=Q(role=MemberRole.FACILITATOR) & ~Q(status=MemberStatus.WITHDRAWN)),
        withdrawn=Count("id", filter=Q(status=MemberStatus.WITHDRAWN)),
    )
    counts["community_assemblies"] = assembly.community_assemblies.count()
    counts["team"] = (
        TeamMembership.objects.filter(team__organisation_id=assembly.organisation_id)
        .filter(Q(assembly__isnull=True) | Q(assembly=assembly))
        .values("user_id")
        .distinct()
        .count()
    )
    return counts
