"""Selection fixtures: a small pool (n = 40, k = 8) in the organiser's assembly,
(browser plumbing: tests/browser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from lottery.models import SelectionRun
from lottery.selection import services
from tests.factories import make_pool


@pytest.fixture
def pool(assembly: Any) -> list[Any]:
    return make_pool(assembly)


@pytest.fixture
def computed_run(
    pool: list[Any], assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> SelectionRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_run_start(assembly=assembly, request_key="key-1", by=organiser)
    run.refresh_from_db()
    assert run.status == "computed", run.error
    return run


@pytest.fixture
def drawn_run(
    computed_run: SelectionRun, organiser: Any, django_capture_on_commit_callbacks: Any
) -> SelectionRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_publish_commitment(
            run=computed_run, randomness_source="two dice", by=organiser
        )
        run = services.selection_draw(run=run, randomness="3 5", by=organiser)
    return run
