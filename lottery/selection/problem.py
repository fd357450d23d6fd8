"""The engine's view of an assembly: the Django → engine adapter (a read).

Respondents become pseudonymous engine respondents (households as keyed
hashes), features become quotas. Used by the selection screens' feasibility
check and by the runs that compute the lottery.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings

from assemblies.models import Assembly
from lottery import engine
from lottery.engine.prepare import canonical
from lottery.models import Answer, Category, Feature, RecruitmentSettings, Respondent, RespondentStatus

# Respondents who may be drawn by a first selection, or seated/drawn by a replacement.
FRESH_POOL = (RespondentStatus.REGISTERED,)
REPLACEMENT_POOL = (
    RespondentStatus.REGISTERED,
    RespondentStatus.RESERVE,
    RespondentStatus.SELECTED,
    RespondentStatus.CONFIRMED,
)
ON_PANEL = (RespondentStatus.SELECTED, RespondentStatus.CONFIRMED)


def household_key(assembly: Assembly, household: str) -> str | None:
    """A keyed hash of the household: equal for the same address, useless to
    anyone trying to guess addresses from the public bundle."""
    if not household or not household.strip():
        return None
    message = f"{assembly.pk}:{canonical(household)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def quotas_of(assembly: Assembly) -> list[engine.Quota]:
    return [
        engine.Quota(
            category=f.category.name,
            feature=f.value,
            min=f.min_seats,
            max=f.max_seats,
            min_flex=f.min_flex,
            max_flex=f.max_flex,
        )
        for f in Feature.objects.filter(assembly=assembly).select_related("category")
    ]


def pool_of(assembly: Assembly, statuses: Sequence[str] = FRESH_POOL) -> tuple[list[engine.Respondent], int]:
    """Engine respondents (pseudonym ids, sorted) and how many were left out
    because they did not answer every category."""
    categories = list(Category.objects.filter(assembly=assembly).values_list("pk", "name"))
    rows = list(
        Respondent.objects.filter(assembly=assembly, status__in=statuses).values_list(
            "pk", "pseudonym", "household"
        )
    )
    answers: dict[int, dict[str, str]] = {}
    for respondent_id, category, value in Answer.objects.filter(
        assembly=assembly, respondent__status__in=statuses
    ).values_list("respondent_id", "category__name", "feature__value"):
        answers.setdefault(respondent_id, {})[category] = value
    wanted = {name for _, name in categories}
    pool, incomplete = [], 0
    for pk, pseudonym, household in sorted(rows, key=lambda row: row[1]):
        features = answers.get(pk, {})
        if set(features) != wanted:
            incomplete += 1
            continue
        pool.append(engine.Respondent(pseudonym, features, household_key(assembly, household)))
    return pool, incomplete


def panel_size_of(assembly: Assembly) -> int:
    recruitment = RecruitmentSettings.objects.filter(assembly=assembly).first()
    return recruitment.panel_size if recruitment else 0


def build_problem(
    assembly: Assembly, *, seated: Sequence[str] = (), statuses: Sequence[str] = FRESH_POOL
) -> engine.SelectionProblem:
    """The engine's view of the assembly: pseudonyms as ids, feature values
    from the Answers, household keys hashed; ``seated`` pseudonyms are fixed."""
    pool, _ = pool_of(assembly, statuses)
    return engine.SelectionProblem(pool, quotas_of(assembly), panel_size_of(assembly), tuple(seated))
