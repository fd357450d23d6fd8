from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from assemblies.actors import SYSTEM
from assemblies.models import AuditEvent, Member, MemberStatus, Role
from jobs.models import Job, JobStatus
from jobs.services import job_create
from lottery.models import DrawStatus, Respondent, RespondentStatus, SelectionRun
from lottery.selection import services
from lottery.selection.bundle import verify_bundle
from lottery.selection.tasks import compute_selection_run
from notifications.models import OutboxMessage
from tests.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_starting_twice_with_the_same_key_makes_one_run(
    pool: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.selection_run_start(assembly=assembly, request_key="same", by=organiser)
        second = services.selection_run_start(assembly=assembly, request_key="same", by=organiser)
    assert first.pk == second.pk
    assert SelectionRun.objects.filter(assembly=assembly).count() == 1
    assert len(callbacks) == 1  # one task published


def test_a_second_run_while_one_is_queued_is_refused_in_plain_words(
    pool: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        services.selection_run_start(assembly=assembly, request_key="a", by=organiser)
        with pytest.raises(ValidationError, match="already being computed"):
            services.selection_run_start(assembly=assembly, request_key="b", by=organiser)


def test_the_task_computes_and_stores_the_bundle_once(computed_run: SelectionRun) -> None:
    bundle = computed_run.bundle
    assert len(bundle["pool"]) == 40 and bundle["k"] == 8
    assert len(bundle["panels"]) == computed_run.lottery_size
    assert {"id", "features", "household"} == set(bundle["pool"][0])
    assert "Firstname" not in json.dumps(bundle) and "@" not in json.dumps(bundle)
    assert 0 < computed_run.min_probability <= 8 / 40 + 1e-9
    assert computed_run.legacy_min_probability is not None
    # A retried message finds the run no longer queued.
    assert compute_selection_run(computed_run.pk) == "skipped"


def test_infeasible_quotas_fail_the_run_with_the_relaxation(
    pool: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly.features.filter(value="non-binary").update(min_seats=1, max_seats=1)
    assembly.features.filter(value="female").update(min_seats=5, max_seats=5)
    assembly.features.filter(value="male").update(min_seats=5, max_seats=5)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_run_start(assembly=assembly, request_key="x", by=organiser)
    run.refresh_from_db()
    assert run.status == DrawStatus.FAILED
    assert run.error


def test_the_draw_needs_a_published_commitment(computed_run: SelectionRun, organiser: Any) -> None:
    with pytest.raises(ValidationError, match="commitment"):
        services.selection_draw(run=computed_run, randomness="1 2 3", by=organiser)
    run = services.selection_publish_commitment(run=computed_run, randomness_source="dice", by=organiser)
    assert run.status == DrawStatus.COMMITTED and len(run.commitment) == 64


def test_the_draw_is_reproducible_and_verify_draw_reproduces_it(
    drawn_run: SelectionRun, tmp_path: Path, capsys: Any
) -> None:
    again = verify_bundle(drawn_run.bundle, "3 5")
    assert list(again.selected) == drawn_run.selected
    assert list(again.reserves) == drawn_run.reserves
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(drawn_run.bundle))
    call_command("verify_draw", str(path), "3 5")
    out = capsys.readouterr().out
    assert "Commitment OK" in out and "This is the panel recorded in the bundle." in out
    for pseudonym in drawn_run.selected:
        assert pseudonym in out


def test_a_tampered_bundle_exits_2(drawn_run: SelectionRun, tmp_path: Path) -> None:
    bundle = drawn_run.bundle
    first = bundle["pool"][0]
    first["features"]["age"] = "65+" if first["features"]["age"] != "65+" else "16-34"
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(CommandError) as raised:
        call_command("verify_draw", str(path), "3 5")
    assert raised.value.returncode == 2
    assert "does not match its commitment" in str(raised.value)


def test_the_draw_marks_selected_and_ordered_reserves_and_emails(
    drawn_run: SelectionRun, assembly: Any
) -> None:
    selected = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED)
    assert sorted(selected.values_list("pseudonym", flat=True)) == sorted(drawn_run.selected)
    assert selected.count() == 8 and all(r.confirm_token for r in selected)
    reserves = list(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).order_by(
            "reserve_position"
        )
    )
    assert [r.pseudonym for r in reserves] == drawn_run.reserves
    assert [r.reserve_position for r in reserves] == [1, 2, 3, 4, 5]
    assert OutboxMessage.objects.filter(template="selected").count() == 8
    event = AuditEvent.objects.get(action="lottery.panel_drawn")
    assert "Firstname" not in json.dumps(event.data)


def test_the_panel_meets_every_quota_and_household_rule(drawn_run: SelectionRun, assembly: Any) -> None:
    features = {r["id"]: r["features"] for r in drawn_run.bundle["pool"]}
    seats = Counter((c, v) for p in drawn_run.selected for c, v in features[p].items())
    for f in assembly.features.select_related("category"):
        assert f.min_seats <= seats[(f.category.name, f.value)] <= f.max_seats
    homes = [r["household"] for r in drawn_run.bundle["pool"] if r["id"] in drawn_run.selected]
    assert len(homes) == len(set(homes))


def test_confirming_creates_a_member_with_an_account(drawn_run: SelectionRun, assembly: Any) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    services.respondent_confirm(token=respondent.confirm_token, by=SYSTEM)
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.CONFIRMED
    member = respondent.member
    assert member.assembly == assembly and member.status == MemberStatus.CONFIRMED
    assert member.user.email == respondent.email
    assert not member.user.has_usable_password()
    services.respondent_confirm(token=respondent.confirm_token, by=SYSTEM)  # twice: nothing new
    assert Member.objects.filter(assembly=assembly, user=member.user).count() == 1


def test_a_decline_is_replaced_keeping_every_quota_and_the_seated(
    drawn_run: SelectionRun, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    selected = list(Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED))
    for r in selected[:3]:
        services.respondent_confirm(token=r.confirm_token, by=SYSTEM)
    leaving = selected[3]
    # No reserve left: the vacant seat goes to a replacement draw (reserves first: test_reserves.py).
    Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).update(
        status=RespondentStatus.REGISTERED, reserve_position=None
    )
    services.respondent_decline(token=leaving.confirm_token, by=SYSTEM)
    leaving.refresh_from_db()
    staying = {r.pseudonym for r in selected if r.pk != leaving.pk}
    with django_capture_on_commit_callbacks(execute=True):
        run = services.replacement_start(respondent=leaving, by=organiser)
    run.refresh_from_db()
    assert run.status == DrawStatus.COMPUTED, run.error
    assert set(run.bundle["seated"]) == staying
    run = services.selection_publish_commitment(run=run, randomness_source="one die", by=organiser)
    run = services.selection_draw(run=run, randomness="4", by=organiser)
    assert staying < set(run.selected) and leaving.pseudonym not in run.selected
    features = {r["id"]: r["features"] for r in run.bundle["pool"]}
    seats = Counter((c, v) for p in run.selected for c, v in features[p].items())
    for f in assembly.features.select_related("category"):
        assert f.min_seats <= seats[(f.category.name, f.value)] <= f.max_seats
    newcomer = (set(run.selected) - staying).pop()
    assert Respondent.objects.get(pseudonym=newcomer).status == RespondentStatus.SELECTED
    with pytest.raises(ValidationError, match="No seat is vacant"):
        services.replacement_start(respondent=leaving, by=organiser)


def test_a_viewer_cannot_start_a_run(pool: Any, tenant: Any, assembly: Any) -> None:
    viewer = UserFactory(username="viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.selection_run_start(assembly=assembly, request_key="v", by=viewer)


def test_finalising_starts_the_erasure_clock(drawn_run: SelectionRun, assembly: Any, organiser: Any) -> None:
    recruitment = services.panel_finalise(assembly=assembly, by=organiser)
    assert recruitment.panel_final_at is not None


def _running_run(assembly: Any, key: str, heartbeat: dt.datetime) -> SelectionRun:
    job = job_create(assembly_id=assembly.pk, kind="lottery.selection_run")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, claim_token="worker", heartbeat_at=heartbeat
    )
    return SelectionRun.objects.create(
        assembly=assembly, request_key=key, panel_size=8, status=DrawStatus.RUNNING, job=job
    )


def test_a_run_abandoned_by_a_dead_worker_can_be_claimed_again(pool: Any, assembly: Any) -> None:
    dead = _running_run(assembly, "dead", timezone.now() - dt.timedelta(hours=2))
    assert compute_selection_run(dead.pk) == DrawStatus.COMPUTED
    job = Job.objects.get(pk=dead.job_id)
    assert (job.status, job.details["stage"], job.claim_token != "worker") == (JobStatus.DONE, "done", True)
    alive = _running_run(assembly, "alive", timezone.now())
    assert compute_selection_run(alive.pk) == "skipped"
    alive.refresh_from_db()
    assert alive.status == DrawStatus.RUNNING and not alive.bundle


def test_a_run_made_without_a_job_gets_one_when_computed(pool: Any, assembly: Any) -> None:
    run = SelectionRun.objects.create(assembly=assembly, request_key="bare", panel_size=8)
    assert services.selection_run_compute(run.pk) is not None
    run.refresh_from_db()
    assert run.status == DrawStatus.COMPUTED and run.job is not None and run.job.status == JobStatus.DONE


def test_a_worker_that_lost_its_claim_stores_nothing(pool: Any, assembly: Any, monkeypatch: Any) -> None:
    from lottery.selection.services import compute

    run = SelectionRun.objects.create(assembly=assembly, request_key="lost", panel_size=8)
    real = compute._solve

    def solve_then_lose_the_claim(claim: Any) -> Any:
        solved = real(claim)
        Job.objects.filter(pk=claim.job_id).update(claim_token="a newer worker")
        return solved

    monkeypatch.setattr(compute, "_solve", solve_then_lose_the_claim)
    assert compute_selection_run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.status == DrawStatus.RUNNING and not run.bundle and run.min_probability is None
    assert not AuditEvent.objects.filter(action="lottery.run_computed").exists()


def test_running_out_of_time_fails_the_run_in_plain_words(pool: Any, assembly: Any, monkeypatch: Any) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    from lottery.selection.services import compute

    def too_slow(claim: Any) -> Any:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(compute, "_solve", too_slow)
    run = SelectionRun.objects.create(assembly=assembly, request_key="slow", panel_size=8)
    assert compute_selection_run(run.pk) == DrawStatus.FAILED
    run.refresh_from_db()
    assert "took too long" in run.error and run.job.status == JobStatus.FAILED
    # The one active run is over: a new run may start.
    services.check_no_active_run(assembly=assembly)


def test_starting_a_run_publishes_its_job_robustly(
    pool: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from lottery.selection.tasks import compute_selection_run as task

    published: list[Any] = []
    monkeypatch.setattr(task, "apply_async", lambda *a, **kw: published.append((a, kw)))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_run_start(assembly=assembly, request_key="pub", by=organiser, time_limit=30)
    assert run.job is not None and run.job.kind == "lottery.selection_run" and run.job.target_id == run.pk
    assert run.job.details["time_limit"] == 30 and run.job.status == JobStatus.QUEUED
    ((args, options),) = published
    assert args[0] == (run.pk,) and options["soft_time_limit"] == 150


def test_verify_draw_checks_the_published_commitment(drawn_run: SelectionRun, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(drawn_run.bundle))
    call_command("verify_draw", str(path), "3 5", commitment=drawn_run.commitment)
    with pytest.raises(CommandError) as raised:
        call_command("verify_draw", str(path), "3 5", commitment="0" * 64)
    assert raised.value.returncode == 2


def test_probability_chart_keeps_the_bulk_readable_beside_near_certain_seats():
    from lottery.selection.selectors import probability_chart

    probabilities = {f"r{i}": 0.03 + 0.0001 * (i % 50) for i in range(1480)}
    probabilities.update({f"s{i}": 0.95 for i in range(20)})  # the only ones of their kind
    chart = probability_chart(probabilities, 60)
    assert chart is not None
    assert sum(bar.count for bar in chart.bars) == 1500
    assert chart.max_value < 0.1  # the axis is not stretched to 95 %
    last = chart.bars[-1]
    assert last.open_ended and last.count == 20
    assert last.label.endswith("% or more")
    assert sum(1 for bar in chart.bars if bar.count) >= 3  # the bulk spreads over several bars


def test_a_frequency_never_seen_in_the_draws_is_not_shown_as_zero():
    from lottery.selection.selectors import estimate_percent

    assert estimate_percent(0.0, 100) == "below 1.00\u00a0%"
    assert estimate_percent(0.025, 100) == "2.50\u00a0%"
    assert estimate_percent(None, 100) == "—"
