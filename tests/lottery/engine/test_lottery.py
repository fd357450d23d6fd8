from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from lottery.engine import (
    Quota,
    SelectionProblem,
    commitment,
    draw,
    draw_index,
    leximin,
    round_to_lottery,
    verify,
)

from .problems import skewed

SOURCE = "Euro Millions draw of 5 December 2026"
RANDOMNESS = "07 19 23 31 44 + 02 11"


@pytest.fixture(scope="module")
def committed():
    prob = skewed()
    dist = leximin(prob)
    lottery = round_to_lottery(dist, 1000)
    digest = commitment(prob, algorithm="leximin", panels=lottery.panels, randomness_source=SOURCE)
    return prob, dist, lottery, digest


def test_rounding_keeps_m_panels_and_reports_its_deviation_honestly(committed):
    _, dist, lottery, _ = committed
    assert lottery.m == 1000
    counts = Counter(m for panel in lottery.panels for m in panel)
    measured = max(abs(counts[i] / 1000 - p) for i, p in dist.probabilities.items())
    assert lottery.max_probability_change == pytest.approx(measured)
    assert lottery.min_probability == pytest.approx(min(counts[i] / 1000 for i in dist.probabilities))
    assert lottery.max_probability_change <= 0.01
    panel_set = {p.members for p in dist.panels}
    assert all(panel in panel_set for panel in lottery.panels)


def test_same_inputs_select_the_same_panel(committed):
    prob, _, lottery, digest = committed
    again = round_to_lottery(leximin(prob), 1000)
    digest_again = commitment(prob, algorithm="leximin", panels=again.panels, randomness_source=SOURCE)
    assert digest_again == digest
    assert draw(again.panels, digest_again, RANDOMNESS) == draw(lottery.panels, digest, RANDOMNESS)


def test_verify_accepts_the_published_draw(committed):
    prob, _, lottery, digest = committed
    _, selected = draw(lottery.panels, digest, RANDOMNESS)
    assert verify(
        prob,
        algorithm="leximin",
        panels=lottery.panels,
        randomness_source=SOURCE,
        randomness=RANDOMNESS,
        commitment_hex=digest,
        selected=selected,
    )


def _changed_inputs(prob: SelectionProblem, panels):
    first = prob.respondents[0]
    moved = dataclasses.replace(first, features={**first.features, "age": "old"})
    yield (
        "pool value",
        dataclasses.replace(prob, respondents=[moved, *prob.respondents[1:]]),
        panels,
        SOURCE,
        RANDOMNESS,
    )
    quota = prob.quotas[0]
    changed = Quota(quota.category, quota.feature, quota.min, quota.max + 1)
    yield "quota", dataclasses.replace(prob, quotas=[changed, *prob.quotas[1:]]), panels, SOURCE, RANDOMNESS
    yield "k", dataclasses.replace(prob, panel_size=prob.panel_size + 1), panels, SOURCE, RANDOMNESS
    other = next(p for p in panels if sorted(p) != sorted(panels[0]))
    yield "panels", prob, [other, *panels[1:]], SOURCE, RANDOMNESS
    yield "source", prob, panels, SOURCE + ".", RANDOMNESS
    yield "randomness", prob, panels, SOURCE, RANDOMNESS + " "


def test_verify_rejects_any_changed_input(committed):
    prob, _, lottery, digest = committed
    _, selected = draw(lottery.panels, digest, RANDOMNESS)
    # A randomness string that picks a different panel, to show "randomness" changes are caught.
    for name, p, panels, source, randomness in _changed_inputs(prob, list(lottery.panels)):
        if name == "randomness":
            randomness = next(
                r
                for r in (f"{RANDOMNESS} {i}" for i in range(100))
                if sorted(draw(lottery.panels, digest, r)[1]) != sorted(selected)
            )
        ok = verify(
            p,
            algorithm="leximin",
            panels=panels,
            randomness_source=source,
            randomness=randomness,
            commitment_hex=digest,
            selected=selected,
        )
        assert not ok, name
    assert not verify(
        prob,
        algorithm="legacy",
        panels=lottery.panels,
        randomness_source=SOURCE,
        randomness=RANDOMNESS,
        commitment_hex=digest,
        selected=selected,
    )


def test_draw_index_is_uniform_without_modulo_bias():
    counts = Counter(draw_index("c" * 64, str(i), 3) for i in range(3000))
    assert set(counts) == {0, 1, 2}
    assert all(900 < c < 1100 for c in counts.values())
    assert draw_index("c" * 64, "x", 1) == 0
