from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import Stage
from lottery.models import Respondent, RespondentStatus, SelectionRun
from lottery.selection import services
from lottery.selection.bundle import verify_bundle

pytestmark = pytest.mark.django_db


def test_public_page_shows_commitment_randomness_and_suppressed_aggregates(
    drawn_run: SelectionRun, assembly: Any, client: Any
) -> None:
    page = client.get(reverse("lottery:selection_public", args=[assembly.slug])).content.decode()
    assert drawn_run.commitment in page and "3 5" in page and "two dice" in page
    assert "fewer than 5" in page  # k = 8: every group is small
    assert "verify_draw" in page
    for respondent in Respondent.objects.filter(assembly=assembly):
        assert respondent.last_name not in page and respondent.pseudonym not in page


def test_commitment_is_public_before_the_draw(
    computed_run: SelectionRun, assembly: Any, organiser: Any, client: Any
) -> None:
    url = reverse("lottery:selection_public", args=[assembly.slug])
    assert computed_run.pk and "has not been published yet" in client.get(url).content.decode()
    run = services.selection_publish_commitment(
        run=computed_run, randomness_source="lottery of 6 May", by=organiser
    )
    page = client.get(url).content.decode()
    assert run.commitment in page and "Not drawn yet" in page, page[page.find("<h1") :][:1500]


def test_public_bundle_is_pseudonymous(drawn_run: SelectionRun, assembly: Any, client: Any) -> None:
    response = client.get(reverse("lottery:selection_bundle", args=[assembly.slug]))
    bundle = response.json()
    assert bundle["commitment"] == drawn_run.commitment and bundle["selected"] == drawn_run.selected
    text = json.dumps(bundle)
    assert "@" not in text and "Firstname" not in text and "High Street" not in text
    assert "probabilities" not in bundle


def test_unpublished_assembly_has_no_selection_page(
    drawn_run: SelectionRun, assembly: Any, client: Any
) -> None:
    assembly.is_public = False
    assembly.save(update_fields=["is_public"])
    assert client.get(reverse("lottery:selection_public", args=[assembly.slug])).status_code == 404
    assert client.get(reverse("lottery:selection_bundle", args=[assembly.slug])).status_code == 404
    assembly.is_public, assembly.stage = True, Stage.DRAFT
    assembly.save(update_fields=["is_public", "stage"])
    assert client.get(reverse("lottery:selection_public", args=[assembly.slug])).status_code == 404


def test_confirm_page_confirms_and_points_to_code_login(
    drawn_run: SelectionRun, assembly: Any, client: Any
) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    url = reverse("lottery:selection_confirm", args=[respondent.confirm_token])
    assert "Yes, I will take part" in client.get(url).content.decode()
    page = client.post(url, {"action": "confirm"}).content.decode()
    assert "log in with a code" in page and "/accounts/login/code/" in page
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.CONFIRMED and respondent.member is not None
    assert client.get(reverse("lottery:selection_confirm", args=["nope"])).status_code == 404


def test_decline_page(drawn_run: SelectionRun, assembly: Any, client: Any) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    url = reverse("lottery:selection_confirm", args=[respondent.confirm_token])
    assert (
        "offered to someone else"
        in client.post(url, {"action": "decline", "confirmed": "yes"}).content.decode()
    )
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.DECLINED


def test_replacements_are_logged_on_the_public_page_and_verifiable(
    drawn_run: SelectionRun,
    assembly: Any,
    organiser: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    leaving = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    # No reserve left: the vacant seat goes to a replacement draw (reserves first: test_reserves.py).
    Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).update(
        status=RespondentStatus.REGISTERED, reserve_position=None
    )
    services.respondent_withdraw(respondent=leaving, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.replacement_start(respondent=leaving, by=organiser)
    run.refresh_from_db()
    run = services.selection_publish_commitment(run=run, randomness_source="one die", by=organiser)
    run = services.selection_draw(run=run, randomness="2", by=organiser)
    page = client.get(reverse("lottery:selection_public", args=[assembly.slug])).content.decode()
    assert "Replacements" in page and run.commitment in page
    bundle = client.get(reverse("lottery:selection_bundle", args=[assembly.slug]) + f"?run={run.pk}").json()
    assert verify_bundle(bundle, "2").agrees_with_published is True
    assert leaving.pseudonym not in bundle["seated"]


def test_public_page_reads_the_bundles_summary_not_the_bundle_in_a_fixed_number_of_queries(
    drawn_run: SelectionRun, assembly: Any, client: Any
) -> None:
    """The page shows the pool's and the panels' sizes without reading the
    bundle (every panel: hundreds of kilobytes on a real lottery), from the
    summary stored beside it, and is pinned at its queries (issue 13)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lottery.selection.selectors import bundle_summary

    run = SelectionRun.objects.get(pk=drawn_run.pk)
    summary = bundle_summary(run)
    assert summary["n"] == len(run.bundle["pool"]) and summary["m"] == len(run.bundle["panels"])
    assert summary["quotas"] == run.bundle.get("quotas", [])
    assert summary["stats"] == run.bundle.get("stats", {})
    url = reverse("lottery:selection_public", args=[assembly.slug])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert f"{summary['n']} residents answered" in page and f"lottery of {summary['m']} equally" in page
    assert len(queries) <= 7, len(queries)
    # The bundle is not read at all, not even in part (a JSON function on it
    # made the database decompress the whole bundle for each key it read).
    assert not [q["sql"][:600] for q in queries.captured_queries if '"bundle"' in q["sql"]]


def test_the_summary_follows_the_bundle_whenever_the_bundle_is_saved(drawn_run: SelectionRun) -> None:
    run = SelectionRun.objects.get(pk=drawn_run.pk)
    bundle = {**run.bundle, "pool": run.bundle["pool"][:3], "panels": run.bundle["panels"][:2]}
    bundle["stats"] = {**bundle.get("stats", {}), "lottery_min_probability": 0.25}
    run.bundle = bundle
    run.save(update_fields=["bundle"])
    summary = SelectionRun.objects.values_list("summary", flat=True).get(pk=run.pk)
    assert (summary["n"], summary["m"]) == (3, 2)
    assert summary["stats"]["lottery_min_probability"] == 0.25
    assert summary["quotas"] == bundle.get("quotas", [])
