"""The assembly's recruitment settings and its quotas' features: the
"prefer not to say" feature, and seats proposed from population shares."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.models import Assembly
from lottery.models import PREFER_NOT_TO_SAY, Category, Feature, RecruitmentSettings
from lottery.quotas import FeatureShare, propose_seats
from lottery.rules import MANAGE_RECRUITMENT


def recruitment_settings(assembly: Assembly) -> RecruitmentSettings:
    settings, _created = RecruitmentSettings.objects.get_or_create(assembly=assembly)
    return settings


def prefer_not_to_say_feature(category: Category) -> Feature:
    """The category's "prefer not to say" feature: an answer like any other,
    with its own quota (0..k by default)."""
    k = recruitment_settings(category.assembly).panel_size
    feature, _created = Feature.objects.get_or_create(
        category=category,
        value=PREFER_NOT_TO_SAY,
        defaults={
            "assembly_id": category.assembly_id,
            "label": _("Prefer not to say"),
            "order": 999,
            "min_seats": 0,
            "max_seats": k,
        },
    )
    return feature


@transaction.atomic
def category_propose_seats(*, categories: Iterable[Category], by: Actor) -> int:
    """Write proposed min/max seats into each category's features, from their
    population shares, the panel size and the tolerance. Returns how many
    categories were updated; refuses (before writing) if ``by`` may not
    manage the recruitment of any of them."""
    categories = list(categories)
    for category in categories:
        authorise(
            by, MANAGE_RECRUITMENT, category.assembly, _("You may not change the quotas of this assembly.")
        )
    for category in categories:
        settings = recruitment_settings(category.assembly)
        features = list(category.features.all())
        proposals = propose_seats(
            [FeatureShare(f.value, f.population_share, f.value == PREFER_NOT_TO_SAY) for f in features],
            panel_size=settings.panel_size,
            tolerance=settings.quota_tolerance,
        )
        by_key = {p.key: p for p in proposals}
        for feature in features:
            proposal = by_key[feature.value]
            feature.min_seats, feature.max_seats = proposal.min_seats, proposal.max_seats
        Feature.objects.bulk_update(features, ["min_seats", "max_seats"])
    return len(categories)
