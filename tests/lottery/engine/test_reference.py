"""The published Nature (2021) instances: our LEXIMIN against their figures."""

from __future__ import annotations

import csv

import pytest

from lottery.engine import leximin
from lottery.engine.io import read_categories, read_respondents
from lottery.engine.model import SelectionProblem

from .problems import DATA

NATURE = DATA / "nature2021"
# Skipped when ../shared/data/sortition is missing; a failure with PLENARY_REQUIRE_SERVICES=1.
pytestmark = pytest.mark.requires_reference_data


def load(instance: str, k: int) -> SelectionProblem:
    cats = read_categories(NATURE / instance / "categories.csv")
    respondents = read_respondents(NATURE / instance / "respondents.csv", cats.quotas, format=cats.format)
    return SelectionProblem(respondents, cats.quotas, k)


@pytest.mark.parametrize(("instance", "k"), [("example_small_20", 20), ("example_large_200", 200)])
def test_matches_published_leximin(instance, k):
    dist = leximin(load(instance, k))
    assert dist.complete
    assert dist.min_probability == pytest.approx(0.100, abs=1e-6)
    with (NATURE / "reference" / f"{instance}_prob_allocs_data.csv").open() as handle:
        reference = sorted(
            float(row["selection probability"])
            for row in csv.DictReader(handle)
            if row["algorithm"].upper() == "LEXIMIN"
        )
    ours = sorted(dist.probabilities.values())
    assert len(ours) == len(reference)
    assert max(abs(a - b) for a, b in zip(ours, reference, strict=True)) <= 1e-4
