"""LEXIMIN through the LP relaxation and the face walk (lottery/engine/relaxation.py)."""

from __future__ import annotations

import numpy as np
import pytest

from lottery.engine import leximin
from lottery.engine.prepare import prepare
from lottery.engine.relaxation import face_walk, relaxed_leximin

from .enumeration import leximin_vector
from .problems import off_relaxation, skewed


def _counts(prep):
    return np.asarray([t.count for t in prep.types], dtype=float)


def test_relaxed_leximin_is_the_true_leximin_when_reachable():
    prob = skewed()
    prep = prepare(prob)
    relaxed = relaxed_leximin(prep, _counts(prep))
    assert relaxed is not None
    expected = leximin_vector(prob)
    for rtype, value in zip(prep.types, relaxed.values, strict=True):
        for member in rtype.members:
            assert value == pytest.approx(expected[prep.ids[member]], abs=1e-8)


def test_face_walk_panels_contain_the_relaxed_point():
    prep = prepare(skewed())
    counts = _counts(prep)
    relaxed = relaxed_leximin(prep, counts)
    walk = face_walk(prep, relaxed.values, counts)
    assert walk.complete
    assert len(walk.panels) <= len(counts) + 1  # Carathéodory: at most T + 1 steps
    for x in walk.panels:
        assert x.sum() == prep.k
        assert ((x >= 0) & (x <= counts)).all()


def test_leximin_uses_the_relaxation_and_matches_enumeration():
    prob = skewed()
    dist = leximin(prob)
    assert dist.method == "relaxation"
    for rid, p in leximin_vector(prob).items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-8)


def test_unreachable_relaxed_point_falls_back_to_column_generation():
    prob = off_relaxation()
    prep = prepare(prob)
    counts = _counts(prep)
    relaxed = relaxed_leximin(prep, counts)
    expected = leximin_vector(prob)
    # The relaxation promises everyone at least 1/6; valid panels cannot give r7 anything.
    assert relaxed.values.min() == pytest.approx(1 / 6)
    assert expected["r7"] == pytest.approx(0.0)
    assert not face_walk(prep, relaxed.values, counts).complete
    dist = leximin(prob)
    assert dist.method == "column generation"
    assert dist.complete
    for rid, p in expected.items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-6)


def test_time_limit_does_not_interrupt_the_relaxation():
    # Every level comes out of the relaxation at once: nothing to cut short.
    dist = leximin(skewed(), time_limit=1e-9)
    assert dist.complete
    assert dist.method == "relaxation"


def test_pricing_towards_the_point_reaches_it_from_a_single_panel():
    import importlib

    from lottery.engine.infeasibility import find_panel

    leximin_module = importlib.import_module("lottery.engine.leximin")
    prob = skewed()
    prep = prepare(prob)
    counts = _counts(prep)
    relaxed = relaxed_leximin(prep, counts)
    panels = leximin_module._towards(prep, counts, relaxed.values, [find_panel(prep)])
    fixed = {t: float(v) for t, v in enumerate(relaxed.values)}
    weights, _ = leximin_module._final_weights(panels, counts, fixed)
    values = (weights @ np.stack(panels)) / counts
    assert np.abs(values - relaxed.values).max() <= 1e-8


def test_pricing_towards_an_unreachable_point_stops_short():
    import importlib

    from lottery.engine import SortitionError
    from lottery.engine.infeasibility import find_panel

    leximin_module = importlib.import_module("lottery.engine.leximin")
    prep = prepare(off_relaxation())
    counts = _counts(prep)
    relaxed = relaxed_leximin(prep, counts)
    panels = leximin_module._towards(prep, counts, relaxed.values, [find_panel(prep)])
    r7 = next(t for t, rtype in enumerate(prep.types) if prep.ids[rtype.members[0]] == "r7")
    assert not any(x[r7] for x in panels)  # no valid panel seats r7, whatever the prices
    fixed = {t: float(v) for t, v in enumerate(relaxed.values)}
    try:
        weights, _ = leximin_module._final_weights(panels, counts, fixed)
    except SortitionError:
        return
    values = (weights @ np.stack(panels)) / counts
    assert abs(values[r7] - relaxed.values[r7]) > 0.1


def test_a_face_program_out_of_time_still_gives_the_exact_leximin(monkeypatch):
    import importlib

    relaxation = importlib.import_module("lottery.engine.relaxation")
    monkeypatch.setattr(relaxation, "FACE_ILP_SECONDS", 1e-6)  # every face ILP runs out of time
    prob = skewed()
    dist = leximin(prob)
    assert dist.complete
    for rid, p in leximin_vector(prob).items():
        assert dist.probabilities[rid] == pytest.approx(p, abs=1e-6)


def test_an_unknown_method_is_a_plain_error():
    from lottery.engine import InvalidInput

    with pytest.raises(InvalidInput, match='use "auto" or "column generation"'):
        leximin(skewed(), method="simplex")
