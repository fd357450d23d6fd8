from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from assemblies.models import (
    Assembly,
    AssemblyKind,
    Member,
    MemberStatus,
    Organisation,
    OrganiserTeam,
    Role,
    Stage,
    TeamMembership,
)

User = get_user_model()
PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class OrganiserTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganiserTeam

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Core team"


class AssemblyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assembly

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"assembly-{n}")
    title = factory.Sequence(lambda n: f"Citizens' Assembly {n}")
    remit = "How should our region reach net zero by 2040?"
    description = "Residents chosen by lottery deliberate over four weekends."
    languages = ["en"]
    starts_on = dt.date(2026, 3, 1)
    ends_on = dt.date(2026, 6, 30)
    kind = AssemblyKind.CORE
    stage = Stage.DELIBERATING
    is_public = True


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(OrganiserTeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ORGANISER
    assembly = None


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    assembly = factory.SubFactory(AssemblyFactory)
    user = factory.SubFactory(UserFactory)
    status = MemberStatus.CONFIRMED
    display_name = factory.Sequence(lambda n: f"Member {n}")
