"""A replacement run shows figures that mean something for a replacement; the
public page speaks in the right tense and tells the truth about assemblies
chosen outside Plenary (issue 9, item 20)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies.models import Stage
from lottery.models import DrawStatus, RunKind, SelectionRun
from lottery.selection.selectors import run_figures

pytestmark = pytest.mark.django_db

POOL = [{"id": f"P{i}", "features": {}, "household": f"h{i}"} for i in range(10)]


def _run(assembly: Any, **fields: Any) -> SelectionRun:
    defaults: dict[str, Any] = {
        "assembly": assembly, "request_key": f"k-{fields.get('kind', 'selection')}", "panel_size": 4,
        "status": DrawStatus.COMPUTED, "min_probability": 0.0,
    }  # fmt: skip
    return SelectionRun.objects.create(**{**defaults, **fields})


def test_replacement_run_shows_seats_candidates_and_their_chances(
    organiser_client: Any, assembly: Any
) -> None:
    # Two of four seats are kept; of eight candidates, four could keep the quotas.
    probabilities = {"P0": 1.0, "P1": 1.0, "P2": 0.5, "P3": 0.5, "P4": 0.75, "P5": 0.25}
    probabilities.update({f"P{i}": 0.0 for i in range(6, 10)})
    run = _run(
        assembly,
        kind=RunKind.REPLACEMENT,
        bundle={"pool": POOL, "seated": ["P0", "P1"], "probabilities": probabilities, "stats": {}},
    )
    figures = run_figures(run)["replacement"]
    assert (figures["vacant"], figures["candidates"], figures["eligible"]) == (2, 8, 4)
    shares = ("50.00\u00a0%", "25.00\u00a0%", "75.00\u00a0%")
    assert (figures["equal"], figures["lowest"], figures["highest"]) == shares
    page = organiser_client.get(reverse("admin:lottery_selectionrun_run", args=[run.pk])).content.decode()
    assert "Seats to refill" in page and "Candidates who could keep the quotas" in page
    assert "LEXIMIN minimum probability" not in page and "k/n" not in page


def test_selection_run_keeps_its_fairness_figures(assembly: Any) -> None:
    run = _run(assembly, bundle={"pool": POOL, "probabilities": {}, "stats": {}}, min_probability=0.3)
    figures = run_figures(run)
    assert figures["replacement"] is None and figures["figures"]["leximin"] == "30.00\u00a0%"


def test_public_page_before_the_draw_speaks_of_the_future(client: Any, assembly: Any) -> None:
    assembly.is_public = True
    assembly.stage = Stage.SELECTING
    assembly.save()
    _run(
        assembly, status=DrawStatus.COMMITTED, commitment="a" * 64, randomness_source="Dice at the library",
        committed_at=timezone.now(), bundle={"pool": POOL, "panels": [["P1"]], "stats": {}},
    )  # fmt: skip
    page = client.get(f"/assemblies/{assembly.slug}/selection/").content.decode()
    assert "4 seats will be filled by a lottery" in page
    assert "seats were filled" not in page and "Nobody had a chance" not in page


def test_public_page_of_an_assembly_chosen_outside_plenary(client: Any, assembly: Any) -> None:
    assembly.is_public = True
    assembly.stage = Stage.DELIBERATING
    assembly.save()
    page = client.get(f"/assemblies/{assembly.slug}/selection/").content.decode()
    assert "not chosen with Plenary" in page
    assert "has not been published yet" not in page
