"""Address imports, letters and selection runs become ``jobs.Job`` rows.

Each round's import and letters and each run's computation get a Job holding
what the old per-workflow fields held (status, progress, message, claim,
heartbeat), so an existing database keeps its state; then the old fields go.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

IMPORT_JOB = "lottery.address_import"
LETTERS_JOB = "lottery.invitation_letters"
RUN_JOB = "lottery.selection_run"
RUN_STATUS_TO_JOB = {
    "queued": "queued",
    "running": "running",
    "failed": "failed",
    "computed": "done",
    "committed": "done",
    "drawn": "done",
}


def _started(progress):
    try:
        return dt.datetime.fromisoformat(progress["started"])
    except (KeyError, TypeError, ValueError):
        return None


def rounds_to_jobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    InvitationRound = apps.get_model("lottery", "InvitationRound")
    for round in InvitationRound.objects.all().iterator():
        if round.import_status != "idle":
            round.import_job = Job.objects.create(
                assembly_id=round.assembly_id,
                kind=IMPORT_JOB,
                target_id=round.pk,
                status=round.import_status,
                done=round.import_bytes_read,
                total=round.import_bytes_total,
                details={
                    "rows_read": round.rows_read,
                    "rows_imported": round.rows_imported,
                    "rows_rejected": round.rows_rejected,
                },
                message=round.import_message,
                claim_token=round.import_token,
                heartbeat_at=round.import_heartbeat_at,
                started_at=round.created_at if round.import_status != "queued" else None,
                finished_at=round.import_finished_at,
            )
        if round.letters_status != "idle":
            round.letters_job = Job.objects.create(
                assembly_id=round.assembly_id,
                kind=LETTERS_JOB,
                target_id=round.pk,
                status=round.letters_status,
                done=round.letters_done,
                total=round.letters_total,
                message=round.letters_message,
            )
        round.save(update_fields=["import_job", "letters_job"])


def runs_to_jobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    SelectionRun = apps.get_model("lottery", "SelectionRun")
    for run in SelectionRun.objects.all().iterator():
        progress = dict(run.progress or {})
        started = _started(progress)
        status = RUN_STATUS_TO_JOB.get(run.status, "failed")
        run.job = Job.objects.create(
            assembly_id=run.assembly_id,
            kind=RUN_JOB,
            target_id=run.pk,
            status=status,
            details={k: v for k, v in progress.items() if k not in ("enqueued", "started")},
            message=run.error,
            # A running run's worker last spoke when it started: the beat job
            # takes it for dead once that is long enough ago, as before.
            heartbeat_at=started,
            started_at=started,
            finished_at=None if status in ("queued", "running") else run.created_at,
            created_by_id=run.requested_by_id,
        )
        run.save(update_fields=["job"])


def forwards(apps, schema_editor):
    rounds_to_jobs(apps, schema_editor)
    runs_to_jobs(apps, schema_editor)


def backwards(apps, schema_editor):
    InvitationRound = apps.get_model("lottery", "InvitationRound")
    SelectionRun = apps.get_model("lottery", "SelectionRun")
    for round in InvitationRound.objects.select_related("import_job", "letters_job").iterator():
        job = round.import_job
        if job is not None:
            round.import_status, round.import_message = job.status, job.message
            round.import_bytes_read, round.import_bytes_total = job.done, job.total
            round.import_token, round.import_heartbeat_at = job.claim_token, job.heartbeat_at
            round.import_finished_at = job.finished_at
        job = round.letters_job
        if job is not None:
            round.letters_status, round.letters_message = job.status, job.message
            round.letters_done, round.letters_total = job.done, job.total
        round.save()
    for run in SelectionRun.objects.select_related("job").iterator():
        if run.job is not None:
            run.progress = {**run.job.details, "enqueued": True}
            if run.job.started_at is not None:
                run.progress["started"] = run.job.started_at.isoformat()
            run.error = run.job.message if run.status == "failed" else ""
            run.save(update_fields=["progress", "error"])


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("lottery", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitationround",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jobs.job",
            ),
        ),
        migrations.AddField(
            model_name="invitationround",
            name="letters_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jobs.job",
            ),
        ),
        migrations.AddField(
            model_name="selectionrun",
            name="job",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jobs.job",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="invitationround", name="import_bytes_read"),
        migrations.RemoveField(model_name="invitationround", name="import_bytes_total"),
        migrations.RemoveField(model_name="invitationround", name="import_finished_at"),
        migrations.RemoveField(model_name="invitationround", name="import_heartbeat_at"),
        migrations.RemoveField(model_name="invitationround", name="import_message"),
        migrations.RemoveField(model_name="invitationround", name="import_status"),
        migrations.RemoveField(model_name="invitationround", name="import_token"),
        migrations.RemoveField(model_name="invitationround", name="letters_done"),
        migrations.RemoveField(model_name="invitationround", name="letters_message"),
        migrations.RemoveField(model_name="invitationround", name="letters_status"),
        migrations.RemoveField(model_name="invitationround", name="letters_total"),
        migrations.RemoveField(model_name="selectionrun", name="error"),
        migrations.RemoveField(model_name="selectionrun", name="progress"),
    ]
