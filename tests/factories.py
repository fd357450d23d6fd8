from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

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
from lottery.models import Answer, Category, Feature, RecruitmentSettings, Respondent

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


# --- recruitment and selection: small pools (n respondents over two categories) ---
class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"category-{n}")
    label = factory.LazyAttribute(lambda o: o.name.title())


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    category = factory.SubFactory(CategoryFactory)
    assembly = factory.LazyAttribute(lambda o: o.category.assembly)
    value = factory.Sequence(lambda n: f"value-{n}")
    label = factory.LazyAttribute(lambda o: o.value.title())


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    address = factory.Sequence(lambda n: f"{n} High Street")
    household = factory.Sequence(lambda n: f"household-{n}")
    consent_version = "1"
    consented_at = factory.LazyFunction(timezone.now)


# Quotas for k = 8: gender 4±1 each (plus at most 1 non-binary), age bands 2-3 each
# with "65+" allowed 1-3.
QUOTAS: dict[str, list[tuple[str, str, int, int, int]]] = {
    "gender": [
        ("female", "Female", 3, 5, 18), ("male", "Male", 3, 5, 18), ("non-binary", "Non-binary", 0, 1, 4),
    ],
    "age": [
        ("16-34", "16 to 34", 2, 3, 12), ("35-54", "35 to 54", 2, 3, 14),
        ("55-64", "55 to 64", 1, 3, 7), ("65+", "65 and over", 1, 3, 7),
    ],
}  # fmt: skip


def make_pool(
    assembly: Any, *, n: int = 40, k: int = 8, reserves: int = 5, seed: int = 7
) -> list[Respondent]:
    """A pool of ``n`` with the QUOTAS above; feature counts are as listed (n = 40)."""
    RecruitmentSettings.objects.update_or_create(
        assembly=assembly, defaults={"panel_size": k, "reserves": reserves}
    )
    features: dict[str, list[Feature]] = {}
    for order, (name, values) in enumerate(QUOTAS.items()):
        category = CategoryFactory(assembly=assembly, name=name, label=name.title(), order=order)
        features[name] = [
            FeatureFactory(category=category, value=v, label=label, min_seats=lo, max_seats=hi)
            for v, label, lo, hi, _count in values
        ]
    rng = random.Random(seed)
    columns = {}
    for name, values in QUOTAS.items():
        column = [f for f, (*_, count) in zip(features[name], values, strict=True) for _ in range(count)]
        column = (column * (n // len(column) + 1))[:n]
        rng.shuffle(column)
        columns[name] = column
    respondents = [RespondentFactory(assembly=assembly) for _ in range(n)]
    # Two people share a household: at most one of them may be drawn.
    respondents[1].household = respondents[0].household
    respondents[1].save(update_fields=["household"])
    Answer.objects.bulk_create(
        Answer(assembly=assembly, respondent=r, category=columns[name][i].category, feature=columns[name][i])
        for i, r in enumerate(respondents)
        for name in QUOTAS
    )
    return respondents


def drawn_panel(assembly: Any, organiser: Any, *, key: str = "drawn-1") -> Any:
    """A pool of 40 and a drawn panel of 8, through the services (transactional
    DB in browser tests: on_commit callbacks fire, and Celery is eager)."""
    from lottery.models import DrawStatus
    from lottery.selection import services as selection_services

    make_pool(assembly)
    run = selection_services.selection_run_start(assembly=assembly, request_key=key, by=organiser)
    run.refresh_from_db()
    assert run.status == DrawStatus.COMPUTED, run.error
    run = selection_services.selection_publish_commitment(run=run, randomness_source="two dice", by=organiser)
    return selection_services.selection_draw(run=run, randomness="3 5", by=organiser)


# --- deliberation: sessions and the people in them --------------------------------
class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.Session"

    assembly = factory.SubFactory(AssemblyFactory)
    title = factory.Sequence(lambda n: f"Weekend {n + 1}")
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=7))
    venue_name = "Town Hall"
    venue_address = "1 Market Square"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.AgendaItem"

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Item {n + 1}")
    position = factory.Sequence(lambda n: n)
    minutes = 45


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.Topic"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Topic {n + 1}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.Speaker"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Speaker {n + 1}")
    organisation = "University of Northshire"


# --- deliberation: speakers, evidence and questions -------------------------------
class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.Evidence"

    assembly = factory.SubFactory(AssemblyFactory)
    title = factory.Sequence(lambda n: f"Evidence {n + 1}")
    kind = "summary"
    summary = "What the speaker said, in plain words."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deliberation.Question"

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(MemberFactory, assembly=factory.SelfAttribute("..session.assembly"))
    text = factory.Sequence(lambda n: f"Question number {n + 1}?")
    order = factory.Sequence(lambda n: n + 1)


# --- recommendations: drafting (working groups, drafts with versions) ---------------
class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.WorkingGroup"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Working group {n + 1}")


def make_draft(
    assembly: Any,
    *,
    text: str = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
    title: str = "Build more homes",
    group: Any = None,
) -> Any:
    """A draft with its first version, through the service (numbered per assembly)."""
    from assemblies.actors import SYSTEM
    from recommendations.drafting.services import recommendation_create

    return recommendation_create(
        assembly=assembly, data={"title": title, "text": text}, working_group=group, by=SYSTEM
    )


# --- advocacy: responses and implementation (tracking) ------------------------------
def make_adopted(
    assembly: Any, *, title: str = "Build more homes", text: str = "Build 500 social homes a year."
) -> Any:
    """An adopted recommendation (drafted through the service, then marked adopted)."""
    from recommendations.models import Recommendation

    recommendation = make_draft(assembly, title=title, text=text)
    Recommendation.objects.filter(pk=recommendation.pk).update(status="adopted")
    recommendation.refresh_from_db()
    return recommendation


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Institution"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Riverside Council {n + 1}")
    contact_email = factory.Sequence(lambda n: f"clerk{n + 1}@council.example.org")


# --- advocacy: power literacy and people who carry it forward ---------------------------
class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Stakeholder"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n + 1}")
    kind = "organisation"
    role = "Housing committee"
    influence = 4
    space = "closed"
    level = "local"
    form = "visible"


class TacticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Tactic"

    assembly = factory.SubFactory(AssemblyFactory)
    title = factory.Sequence(lambda n: f"Tactic {n + 1}")
    method = "briefing"


class MediaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.MediaItem"

    assembly = factory.SubFactory(AssemblyFactory)
    title = factory.Sequence(lambda n: f"Assembly in the news {n + 1}")
    outlet = "Riverside Echo"
    published_on = dt.date(2026, 9, 1)
    url = "https://news.example.org/story"


class AffiliateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Affiliate"

    assembly = factory.SubFactory(AssemblyFactory)
    name = factory.Sequence(lambda n: f"Affiliate {n + 1}")
    sector = "business"
    commitment = "We will build to the new standard."
    email = factory.Sequence(lambda n: f"affiliate{n + 1}@example.org")
    status = "confirmed"
    signed_on = dt.date(2026, 9, 1)
    report_token = factory.Sequence(lambda n: f"report-token-{n + 1}")
