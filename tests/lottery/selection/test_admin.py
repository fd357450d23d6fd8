from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.actors import SYSTEM
from assemblies.models import Role
from jobs.services import job_claim, job_create, job_fail, job_fail_unclaimed, job_progress
from lottery.models import Answer, DrawStatus, Respondent, RespondentStatus, SelectionRun
from lottery.selection import services
from tests.factories import TeamMembershipFactory, UserFactory, make_pool

pytestmark = pytest.mark.django_db


def organiser_urls(assembly_id: int, run_id: int, respondent_id: int) -> list[tuple[str, str]]:
    """(method, url) of every organiser screen."""
    a, r, p = [assembly_id], [run_id], [respondent_id]
    return [
        ("get", reverse("admin:lottery_selectionrun_assembly", args=a)),
        ("get", reverse("admin:lottery_selectionrun_quotas", args=a)),
        ("post", reverse("admin:lottery_selectionrun_start", args=a)),
        ("post", reverse("admin:lottery_selectionrun_finalise", args=a)),
        ("get", reverse("admin:lottery_selectionrun_run", args=r)),
        ("post", reverse("admin:lottery_selectionrun_commit", args=r)),
        ("post", reverse("admin:lottery_selectionrun_draw", args=r)),
        ("get", reverse("admin:lottery_selectionrun_bundle", args=r)),
        ("get", reverse("admin:lottery_selectionrun_change", args=r)),
        ("get", reverse("admin:lottery_selectionrun_letter", args=p)),
        ("post", reverse("admin:lottery_selectionrun_replace", args=p)),
        ("post", reverse("admin:lottery_selectionrun_withdraw", args=p)),
    ]


def screen(client: Any, name: str, assembly: Any) -> str:
    """The text of one of the assembly's selection screens ("assembly", "quotas")."""
    return client.get(reverse(f"admin:lottery_selectionrun_{name}", args=[assembly.pk])).content.decode()


def test_every_organiser_screen_is_a_404_for_another_tenant(
    drawn_run: SelectionRun, assembly: Any, other_organiser: Any, client: Any
) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    client.force_login(other_organiser)
    for method, url in organiser_urls(assembly.pk, drawn_run.pk, respondent.pk):
        response = getattr(client, method)(
            url, {"request_key": "k", "randomness": "1", "randomness_source": "x"}
        )
        assert response.status_code == 404, (method, url, response.status_code)


def test_a_viewer_sees_aggregates_but_cannot_act(
    drawn_run: SelectionRun, tenant: Any, assembly: Any, client: Any
) -> None:
    viewer = UserFactory(username="viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]))
    assert page.status_code == 200
    selected = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    assert selected.pseudonym in page.content.decode() and selected.first_name not in page.content.decode()
    assert "Run the selection" not in page.content.decode()
    assert client.get(reverse("admin:lottery_selectionrun_quotas", args=[assembly.pk])).status_code == 200
    assert client.get(reverse("admin:lottery_selectionrun_run", args=[drawn_run.pk])).status_code == 200
    start = client.post(reverse("admin:lottery_selectionrun_start", args=[assembly.pk]), {"request_key": "v"})
    assert start.status_code == 403
    assert client.get(reverse("admin:lottery_selectionrun_letter", args=[selected.pk])).status_code == 403
    assert SelectionRun.objects.count() == 1


def test_the_quotas_screen_explains_infeasibility_with_a_relaxation(
    pool: Any, assembly: Any, organiser_client: Any
) -> None:
    # Nobody in the pool is non-binary any more, but the quota asks for one seat.
    female = assembly.features.get(value="female")
    Answer.objects.filter(feature__value="non-binary", assembly=assembly).update(feature=female)
    assembly.features.filter(value="non-binary").update(min_seats=1, max_seats=1)
    page = screen(organiser_client, "quotas", assembly)
    assert "Not feasible" in page and "Target seats" in page
    assert "lower the minimum from 1 to 0" in page


def test_the_quotas_screen_says_when_quotas_can_be_met(
    pool: Any, assembly: Any, organiser_client: Any
) -> None:
    page = screen(organiser_client, "quotas", assembly)
    assert "The quotas can be met" in page
    assert "<td>18</td>" in page  # pool count of "female"


def test_organiser_runs_commits_and_draws_through_the_screens(
    pool: Any, assembly: Any, organiser_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start_url = reverse("admin:lottery_selectionrun_start", args=[assembly.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = organiser_client.post(start_url, {"request_key": "form-key"})
        again = organiser_client.post(start_url, {"request_key": "form-key"})  # double click
    assert first.status_code == again.status_code == 302
    run = SelectionRun.objects.get(assembly=assembly)
    assert first["Location"] == again["Location"] == reverse("admin:lottery_selectionrun_run", args=[run.pk])
    page = organiser_client.get(first["Location"]).content.decode()
    assert "LEXIMIN minimum probability" in page and "<svg" in page and "The chart as a table" in page
    assert "Fully LEXIMIN-optimal" in page
    organiser_client.post(
        reverse("admin:lottery_selectionrun_commit", args=[run.pk]), {"randomness_source": "dice"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            reverse("admin:lottery_selectionrun_draw", args=[run.pk]), {"randomness": "6 6"}
        )
    run.refresh_from_db()
    assert run.status == DrawStatus.DRAWN
    page = organiser_client.get(reverse("admin:lottery_selectionrun_run", args=[run.pk])).content.decode()
    assert "The panel against the quotas" in page
    bundle = organiser_client.get(reverse("admin:lottery_selectionrun_bundle", args=[run.pk]))
    assert bundle.json()["commitment"] == run.commitment


def test_the_run_page_shows_the_leximin_level_while_computing_and_reloads_when_done(
    pool: Any, assembly: Any, organiser: Any, organiser_client: Any
) -> None:
    job = job_create(assembly_id=assembly.pk, kind="lottery.selection_run")
    run = SelectionRun.objects.create(
        assembly=assembly, request_key="p", panel_size=8, status=DrawStatus.RUNNING, job=job
    )
    token = job_claim(job.pk) or ""
    job_progress(job.pk, token, details={"stage": "leximin", "level": 2, "panels": 17, "min": 0.12})
    page = organiser_client.get(reverse("admin:lottery_selectionrun_run", args=[run.pk])).content.decode()
    assert "js/htmx.min.js" in page and "<script>" not in page
    assert "Selection run" in page and "Level 2, 17 panels generated, current minimum 12.00\u00a0%" in page
    poll = reverse("admin:assemblies_job_progress", args=[job.pk])
    assert f'hx-get="{poll}"' in page and 'hx-trigger="every 2s"' in page

    fragment = organiser_client.get(poll, HTTP_HX_REQUEST="true")
    assert "17 panels" in fragment.content.decode() and "HX-Refresh" not in fragment
    job_fail(job.pk, token, message="Quotas cannot be met.")
    assert organiser_client.get(poll, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_a_failed_run_says_why(pool: Any, assembly: Any, organiser_client: Any) -> None:
    job = job_create(assembly_id=assembly.pk, kind="lottery.selection_run")
    job_fail_unclaimed(job, message="No panel meets the quotas.")
    run = SelectionRun.objects.create(
        assembly=assembly, request_key="f", panel_size=8, status=DrawStatus.FAILED, job=job
    )
    page = organiser_client.get(reverse("admin:lottery_selectionrun_run", args=[run.pk])).content.decode()
    assert "The run failed" in page and "No panel meets the quotas." in page
    assert "hx-get" not in page


def test_letter_is_a_pdf(drawn_run: SelectionRun, assembly: Any, organiser_client: Any) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    response = organiser_client.get(reverse("admin:lottery_selectionrun_letter", args=[respondent.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_replacement_button_and_run(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    respondent = Respondent.objects.filter(assembly=assembly, status=RespondentStatus.SELECTED).first()
    # No reserve left: the vacant seat goes to a replacement draw (reserves first: test_reserves.py).
    Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).update(
        status=RespondentStatus.REGISTERED, reserve_position=None
    )
    services.respondent_decline(token=respondent.confirm_token, by=SYSTEM)
    page = screen(organiser_client, "assembly", assembly)
    assert "Fill the seat" in page
    url = reverse("admin:lottery_selectionrun_replace", args=[respondent.pk])
    assert "Start a replacement draw" in organiser_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url, {"request_key": "r-1", "confirmed": "yes"})
    run = SelectionRun.objects.get(kind="replacement")
    assert response["Location"] == reverse("admin:lottery_selectionrun_run", args=[run.pk])
    assert run.replaces == respondent


def test_run_list_query_count_is_pinned(
    pool: Any, assembly: Any, organiser_client: Any, other_assembly: Any, django_assert_max_num_queries: Any
) -> None:
    make_pool(other_assembly)
    for i in range(15):
        SelectionRun.objects.create(
            assembly=assembly, request_key=f"k{i}", panel_size=8, status=DrawStatus.FAILED
        )
        SelectionRun.objects.create(
            assembly=other_assembly, request_key=f"o{i}", panel_size=8, status=DrawStatus.FAILED
        )
    with django_assert_max_num_queries(13):
        response = organiser_client.get(reverse("admin:lottery_selectionrun_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("/run/") == 15
    assert other_assembly.title not in response.content.decode()


def test_without_a_worker_the_start_button_warns_that_the_page_will_wait(
    pool: list[Any], assembly: Any, organiser_client: Any, settings: Any
) -> None:
    from config.celery import app as celery_app

    settings.SELECTION_TIME_LIMIT = 60
    url = reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk])

    inline = organiser_client.get(url).content.decode()
    celery_app.conf.task_always_eager = False  # a worker takes the run (restored by tests/conftest.py)
    with_worker = organiser_client.get(url).content.decode()

    assert "No task worker is running" in inline and "up to 60 seconds" in inline
    assert "No task worker is running" not in with_worker


def test_selection_screen_says_how_many_wait_to_be_drawn(
    pool: Any, assembly: Any, organiser_client: Any
) -> None:
    assert "40 registered respondents waiting to be drawn" in screen(organiser_client, "assembly", assembly)


def test_no_new_run_is_offered_once_the_panel_is_drawn(
    drawn_run: SelectionRun, assembly: Any, organiser_client: Any
) -> None:
    page = screen(organiser_client, "assembly", assembly)
    assert "no new run can start" in page
    assert "Run the selection" not in page
    # And the server refuses one all the same.
    start_url = reverse("admin:lottery_selectionrun_start", args=[assembly.pk])
    response = organiser_client.post(start_url, {"request_key": "late-key"}, follow=True)
    assert "already published" in response.content.decode()
    assert SelectionRun.objects.filter(assembly=assembly).count() == 1
