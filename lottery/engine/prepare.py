"""Validation of a selection problem and its reduction to respondent types.

Respondents with the same features and no household-mate in the pool are
interchangeable: the leximin marginals are unique, so an optimal distribution
gives them equal probability. The engine therefore optimises over *types*
(``count`` interchangeable respondents each) instead of individuals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import InfeasibleQuotas, InvalidInput, Quota, SelectionProblem


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
    seated respondents alone break a maximum.
    """
    k = problem.panel_size
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidInput(f"The panel size must be a positive whole number, not {k!r}.")
    quotas = sorted(problem.quotas, key=lambda q: (q.category, q.feature))
    if not quotas:
        raise InvalidInput("There are no quotas: at least one category with features is needed.")
    seen: set[tuple[str, str]] = set()
    categories: list[str] = []
    lookup: dict[tuple[str, str], int] = {}
    for index, q in enumerate(quotas):
        key = (canonical(q.category), canonical(q.feature))
        if key in seen:
            raise InvalidInput(f"The quota {_quota_name(q)} is given twice.")
        seen.add(key)
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

    ids: list[str] = []
    feature_of: list[tuple[int, ...]] = []
    id_index: dict[str, int] = {}
    for position, r in enumerate(problem.respondents):
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

    n = len(ids)
    if k > n:
        raise InvalidInput(f"The panel size {k} is larger than the pool ({n} respondents).")
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

    households_of: dict[str, list[int]] = {}
    for index, r in enumerate(problem.respondents):
        if r.household is not None and r.household.strip() != "":
            households_of.setdefault(canonical(r.household), []).append(index)

    seated: list[int] = []
    for sid in problem.seated:
        if sid not in id_index:
            raise InvalidInput(f"The seated respondent {sid!r} is not in the pool.")
        if id_index[sid] in seated:
            raise InvalidInput(f"The seated respondent {sid!r} is listed twice.")
        seated.append(id_index[sid])
    if len(seated) > k:
        raise InvalidInput(f"{len(seated)} respondents are already seated, more than the panel size {k}.")
    excluded_set: set[int] = set()
    seated_set = set(seated)
    for members in households_of.values():
        on_panel = [m for m in members if m in seated_set]
        if len(on_panel) > 1:
            names = ", ".join(repr(ids[m]) for m in on_panel)
            raise InvalidInput(f"The seated respondents {names} share a household.")
        if on_panel:
            excluded_set.update(m for m in members if m not in seated_set)

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

    drawable = [i for i in range(n) if i not in seated_set and i not in excluded_set]
    shared: set[int] = set()
    for members in households_of.values():
        live = [m for m in members if m not in seated_set and m not in excluded_set]
        if len(live) > 1:
            shared.update(live)
    types: list[RespondentType] = []
    by_vector: dict[tuple[int, ...], list[int]] = {}
    order: list[tuple[int, ...] | int] = []
    for i in drawable:
        if i in shared:
            order.append(i)
        else:
            vec = feature_of[i]
            if vec not in by_vector:
                by_vector[vec] = []
                order.append(vec)
            by_vector[vec].append(i)
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
        excluded=sorted(excluded_set),
        feature_of=feature_of,
    )
