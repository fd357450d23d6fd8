"""Validation of a selection problem and its reduction to respondent types.

Respondents with the same features and no household-mate in the pool are
interchangeable: the leximin marginals are unique, so an optimal distribution
gives them equal probability. The engine therefore optimises over *types*
(``count`` interchangeable respondents each) instead of individuals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .model import InfeasibleQuotas, InvalidInput, Quota, Respondent, SelectionProblem


def canonical(value: str) -> str:
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class RespondentType:
    members: tuple[int, ...]  # indices into Prepared.ids, in input order
    features: tuple[int, ...]  # feature indices, one per category

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass
class Prepared:
    ids: list[str]
    quotas: list[Quota]  # one per feature index, sorted by (category, feature)
    categories: list[str]
    minimum: list[int]  # per feature, after subtracting seated respondents
    maximum: list[int]
    k: int  # seats still to draw
    types: list[RespondentType]
    households: list[list[int]]  # groups of type indices allowing at most one seat
    seated: list[int]
    excluded: list[int]  # household-mates of seated respondents (probability 0)
    feature_of: list[tuple[int, ...]]  # per respondent index: feature indices


def _quota_name(q: Quota) -> str:
    return f"{q.category}={q.feature}"


def prepare(problem: SelectionProblem) -> Prepared:
    """Validate ``problem`` and group the drawable respondents into types.

    Raises InvalidInput for malformed input and InfeasibleQuotas when the
    seated respondents alone break a maximum. The checks run in a fixed order
    (panel size, quotas, respondents, category sums, seated), so a problem
    with several faults always reports the same one first.
    """
    k = problem.panel_size
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidInput(f"The panel size must be a positive whole number, not {k!r}.")
    quotas, categories, lookup = _index_quotas(problem.quotas)
    ids, feature_of, id_index = _feature_vectors(problem.respondents, categories, lookup)
    if k > len(ids):
        raise InvalidInput(f"The panel size {k} is larger than the pool ({len(ids)} respondents).")
    _check_category_sums(quotas, categories, k)
    households_of = _households_of(problem.respondents)
    seated, excluded = _seat(problem.seated, id_index, ids, households_of, k)
    minimum, maximum = _remaining_bounds(quotas, seated, feature_of)
    types, households = _group_types(feature_of, households_of, set(seated) | excluded)
    return Prepared(
        ids=ids,
        quotas=quotas,
        categories=categories,
        minimum=minimum,
        maximum=maximum,
        k=k - len(seated),
        types=types,
        households=households,
        seated=seated,
        excluded=sorted(excluded),
        feature_of=feature_of,
    )


def _index_quotas(
    given: Sequence[Quota],
) -> tuple[list[Quota], list[str], dict[tuple[str, str], int]]:
    """The quotas sorted by (category, feature), the categories in that order,
    and the feature index of each canonical (category, feature) pair."""
    quotas = sorted(given, key=lambda q: (q.category, q.feature))
    if not quotas:
        raise InvalidInput("There are no quotas: at least one category with features is needed.")
    categories: list[str] = []
    lookup: dict[tuple[str, str], int] = {}
    for index, q in enumerate(quotas):
        key = (canonical(q.category), canonical(q.feature))
        if key in lookup:
            raise InvalidInput(f"The quota {_quota_name(q)} is given twice.")
        lookup[key] = index
        if q.category not in categories:
            categories.append(q.category)
        if q.min < 0 or q.max < q.min:
            raise InvalidInput(
                f"The quota {_quota_name(q)} has min {q.min} and max {q.max}: it needs 0 <= min <= max."
            )
        if q.min_flex is not None and q.min_flex > q.min:
            raise InvalidInput(f"The quota {_quota_name(q)} has min_flex above its min.")
        if q.max_flex is not None and q.max_flex < q.max:
            raise InvalidInput(f"The quota {_quota_name(q)} has max_flex below its max.")
    return quotas, categories, lookup


def _feature_vectors(
    respondents: Sequence[Respondent], categories: list[str], lookup: dict[tuple[str, str], int]
) -> tuple[list[str], list[tuple[int, ...]], dict[str, int]]:
    """Each respondent's id and feature index per category (matched without
    regard to case or spacing), and the position of each id."""
    ids: list[str] = []
    feature_of: list[tuple[int, ...]] = []
    id_index: dict[str, int] = {}
    for position, r in enumerate(respondents):
        if not isinstance(r.id, str) or r.id == "":
            raise InvalidInput(f"Respondent number {position + 1} has no id.")
        if r.id in id_index:
            raise InvalidInput(f"The respondent id {r.id!r} appears twice.")
        id_index[r.id] = position
        given = {canonical(c): v for c, v in r.features.items()}
        vector = []
        for category in categories:
            value = given.get(canonical(category))
            if value is None:
                raise InvalidInput(f"Respondent {r.id!r} has no value for category {category!r}.")
            feature = lookup.get((canonical(category), canonical(value)))
            if feature is None:
                raise InvalidInput(
                    f"Respondent {r.id!r} has {category}={value!r}, "
                    f"which is not a feature of category {category!r}."
                )
            vector.append(feature)
        ids.append(r.id)
        feature_of.append(tuple(vector))
    return ids, feature_of, id_index


def _check_category_sums(quotas: list[Quota], categories: list[str], k: int) -> None:
    """Each category's minimums must fit in k seats and its maximums fill them."""
    for category in categories:
        in_cat = [q for q in quotas if q.category == category]
        low = sum(q.min for q in in_cat)
        high = sum(q.max for q in in_cat)
        if low > k:
            raise InvalidInput(
                f"The minimums of category {category!r} add up to {low}, more than the panel size {k}."
            )
        if high < k:
            raise InvalidInput(
                f"The maximums of category {category!r} add up to {high}, less than the panel size {k}."
            )


def _households_of(respondents: Sequence[Respondent]) -> dict[str, list[int]]:
    """Respondent indices per canonical household key (blank keys are no household)."""
    households_of: dict[str, list[int]] = {}
    for index, r in enumerate(respondents):
        if r.household is not None and r.household.strip() != "":
            households_of.setdefault(canonical(r.household), []).append(index)
    return households_of


def _seat(
    seated_ids: Sequence[str],
    id_index: dict[str, int],
    ids: list[str],
    households_of: dict[str, list[int]],
    k: int,
) -> tuple[list[int], set[int]]:
    """The indices of the respondents already seated (a replacement draw), and
    their household-mates, who can no longer be drawn."""
    seated: list[int] = []
    for sid in seated_ids:
        if sid not in id_index:
            raise InvalidInput(f"The seated respondent {sid!r} is not in the pool.")
        if id_index[sid] in seated:
            raise InvalidInput(f"The seated respondent {sid!r} is listed twice.")
        seated.append(id_index[sid])
    if len(seated) > k:
        raise InvalidInput(f"{len(seated)} respondents are already seated, more than the panel size {k}.")
    excluded: set[int] = set()
    seated_set = set(seated)
    for members in households_of.values():
        on_panel = [m for m in members if m in seated_set]
        if len(on_panel) > 1:
            names = ", ".join(repr(ids[m]) for m in on_panel)
            raise InvalidInput(f"The seated respondents {names} share a household.")
        if on_panel:
            excluded.update(m for m in members if m not in seated_set)
    return seated, excluded


def _remaining_bounds(
    quotas: list[Quota], seated: list[int], feature_of: list[tuple[int, ...]]
) -> tuple[list[int], list[int]]:
    """Per feature, the minimum and maximum still to fill once the seated
    respondents are counted; InfeasibleQuotas when they already exceed a maximum."""
    counts = Counter(f for s in seated for f in feature_of[s])
    minimum = [max(0, q.min - counts[i]) for i, q in enumerate(quotas)]
    maximum = [q.max - counts[i] for i, q in enumerate(quotas)]
    over = [i for i in range(len(quotas)) if maximum[i] < 0]
    if over:
        text = "; ".join(
            f"{_quota_name(quotas[i])} has {counts[i]} seated respondents but a maximum of {quotas[i].max}"
            for i in over
        )
        raise InfeasibleQuotas(f"The seated respondents already break a quota: {text}.")
    return minimum, maximum


def _group_types(
    feature_of: list[tuple[int, ...]], households_of: dict[str, list[int]], unavailable: set[int]
) -> tuple[list[RespondentType], list[list[int]]]:
    """The drawable respondents grouped into types, in order of first
    appearance, and the households that still hold more than one type.

    A respondent who shares a household with another drawable respondent is
    not interchangeable with the others of the same features, so gets a type
    of its own."""
    shared: set[int] = set()
    for members in households_of.values():
        live = [m for m in members if m not in unavailable]
        if len(live) > 1:
            shared.update(live)
    by_vector: dict[tuple[int, ...], list[int]] = {}
    order: list[tuple[int, ...] | int] = []
    for i in range(len(feature_of)):
        if i in unavailable:
            continue
        if i in shared:
            order.append(i)
        else:
            vec = feature_of[i]
            if vec not in by_vector:
                by_vector[vec] = []
                order.append(vec)
            by_vector[vec].append(i)
    types: list[RespondentType] = []
    type_of: dict[int, int] = {}
    for entry in order:
        if isinstance(entry, int):
            type_of[entry] = len(types)
            types.append(RespondentType((entry,), feature_of[entry]))
        else:
            types.append(RespondentType(tuple(by_vector[entry]), entry))
    households: list[list[int]] = []
    for home in sorted(households_of):
        live = [type_of[m] for m in households_of[home] if m in type_of]
        if len(live) > 1:
            households.append(live)
    return types, households
