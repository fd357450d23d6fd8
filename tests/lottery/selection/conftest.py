"""Selection fixtures: a small pool (n = 40, k = 8) in the organiser's assembly,
and the Chromium launch settings of tests/e2e/conftest.py for the browser test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from lottery.models import SelectionRun
from lottery.selection import services
from tests.lottery.selection.factories import make_pool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests last: Playwright's loop must not meet the other tests' ORM calls.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


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


@pytest.fixture(scope="session")
def allow_orm_beside_playwright() -> Iterator[None]:
    """For the browser test only (it runs last): Playwright's event loop stays
    "running" in the main thread until the session ends."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
