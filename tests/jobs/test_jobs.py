"""One job pattern: claim, progress, finish, supersede, requeue; one polling screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import kinds
from jobs.models import Job, JobStatus
from jobs.services import (
    JobSuperseded,
    delay_on_commit,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_restart,
)
from jobs.tasks import requeue_stale_jobs

pytestmark = pytest.mark.django_db


def _job(tenant: Any, **fields: Any) -> Job:
    job = job_create(assembly_id=tenant.assembly.pk, kind="test.work", target_id=7, total=10)
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def test_a_job_is_claimed_once_and_reports_its_progress(tenant: Any) -> None:
    job = _job(tenant)

    token = job_claim(job.pk)
    assert token is not None
    assert job_claim(job.pk) is None  # a second delivery of the same task does nothing

    job_progress(job.pk, token, done=4)
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (JobStatus.RUNNING, 4, 40)

    job_finish(job.pk, token, message="All done.")
    job.refresh_from_db()
    assert (job.status, job.message, job.active) == (JobStatus.DONE, "All done.", False)
    assert job.finished_at is not None


def test_a_restarted_job_stops_the_task_that_held_it(tenant: Any) -> None:
    job = _job(tenant)
    old = job_claim(job.pk)
    assert old is not None

    job_restart(job)
    new = job_claim(job.pk)

    with pytest.raises(JobSuperseded):
        job_progress(job.pk, old, done=1)
    with pytest.raises(JobSuperseded):
        job_fail(job.pk, old, message="late")
    job_progress(job.pk, new or "", done=2)
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.RUNNING, 2)


def test_a_job_whose_worker_died_can_be_claimed_again(tenant: Any) -> None:
    job = _job(tenant)
    first = job_claim(job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    second = job_claim(job.pk)

    assert second is not None and second != first


def test_tasks_are_published_after_commit_only(django_capture_on_commit_callbacks: Any) -> None:
    task = mock.Mock()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delay_on_commit(task, 42, kind="x")
        task.delay.assert_not_called()
    for callback in callbacks:
        callback()
    task.delay.assert_called_once_with(42, kind="x")


def test_the_beat_job_publishes_stale_jobs_again(tenant: Any) -> None:
    kinds.register(kinds.JobKind("test.work", "Test work", "tests.work"))
    long_ago = timezone.now() - timedelta(hours=1)
    stale = _job(tenant)
    Job.objects.filter(pk=stale.pk).update(created_at=long_ago)
    _job(tenant)  # queued just now: not stale yet
    _job(tenant, status=JobStatus.DONE)

    with mock.patch("jobs.tasks.current_app.send_task") as send:
        assert requeue_stale_jobs() == 1
    send.assert_called_once_with("tests.work", args=[7])


def test_the_progress_screen_polls_then_reloads_when_done(organiser_client: Any, tenant: Any) -> None:
    job = _job(tenant)
    url = reverse("admin:assemblies_job_progress", args=[job.pk])

    running = organiser_client.get(url, HTTP_HX_REQUEST="true")
    assert running.status_code == 200 and "hx-get" in running.content.decode()
    assert "HX-Refresh" not in running

    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    done = organiser_client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()


def test_another_tenants_job_is_a_404(organiser_client: Any, other_tenant: Any) -> None:
    job = _job(other_tenant)
    assert organiser_client.get(reverse("admin:assemblies_job_progress", args=[job.pk])).status_code == 404


def test_a_broker_error_after_commit_is_logged_not_raised(
    django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    task = mock.Mock()
    task.delay.side_effect = ConnectionError("broker down")
    with django_capture_on_commit_callbacks(execute=True):
        delay_on_commit(task, 42)
    task.delay.assert_called_once_with(42)
    assert "broker down" in caplog.text
