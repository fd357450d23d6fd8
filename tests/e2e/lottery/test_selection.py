"""An organiser checks the quotas, runs the selection, publishes the
commitment and draws, in Chromium against the live server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from config.celery import app as celery_app
from lottery.models import DrawStatus, SelectionRun
from tests.e2e.helpers import CSPWatcher, shot
from tests.factories import make_pool

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e(allow_orm_beside_playwright: None, settings: Any, transactional_db: None) -> Iterator[None]:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PLENARY_REQUIRE_ORGANISER_MFA = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_organiser_checks_quotas_runs_commits_and_draws(
    e2e: None, page: Any, live_server: Any, organiser: Any, assembly: Any
) -> None:
    make_pool(assembly)
    page.set_default_timeout(20_000)
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    csp = CSPWatcher(page)

    csp.visit("quotas", f"{live_server.url}/admin/lottery/selectionrun/assembly/{assembly.pk}/quotas/")
    expect(page.get_by_text("The quotas can be met")).to_be_visible()
    expect(page.get_by_role("cell", name="Non-binary")).to_be_visible()
    shot(page, "selection-01-quotas")

    page.get_by_role("link", name="Back to the selection").click()
    page.get_by_role("button", name="Run the selection").click()
    expect(page).to_have_url(re.compile(r"/admin/lottery/selectionrun/\d+/run/$"))
    expect(page.get_by_text("LEXIMIN minimum probability")).to_be_visible()
    expect(page.get_by_role("img", name="Distribution of selection probabilities")).to_be_visible()
    shot(page, "selection-02-result")

    page.get_by_label("Source of the public randomness").fill("Two dice thrown at the public meeting")
    page.get_by_role("button", name="Publish the commitment").click()
    expect(page.get_by_text("The commitment is published")).to_be_visible()
    page.get_by_label("Public randomness, exactly as announced").fill("4 2")
    page.get_by_role("button", name="Draw the panel").click()
    expect(page.get_by_role("heading", name="The panel against the quotas")).to_be_visible()
    csp.collect()
    shot(page, "selection-03-drawn")

    run = SelectionRun.objects.get(assembly=assembly)
    assert run.status == DrawStatus.DRAWN and len(run.selected) == 8

    csp.visit("public", f"{live_server.url}/assemblies/{assembly.slug}/selection/")
    expect(page.get_by_text(run.commitment)).to_be_visible()
    expect(page.get_by_role("heading", name="Who is on the panel")).to_be_visible()
    shot(page, "selection-04-public")
    assert not csp.report(), csp.report()
