"""One row per piece of long work, whatever the app.

A job is created by a service (in the same transaction as the work it
describes), published to Celery after commit, and claimed by the task that
runs it. The claim token makes a task that lost its claim (a newer run took
over, or the job was restarted) stop at its next progress write; the heartbeat
lets the beat job see a worker that died mid-way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    # By name, not import: jobs sits below assemblies in the layers.
    assembly = models.ForeignKey(
        "assemblies.Assembly", on_delete=models.CASCADE, related_name="jobs", verbose_name=_("assembly")
    )
    #: What the work is, e.g. "lottery.address_import"; its label and the
    #: template that explains its progress are registered by the app.
    kind = models.CharField(_("kind"), max_length=64)
    #: The row the work is about (a round, a run): what its task is given.
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    #: Progress in the job's own unit (bytes read, letters made, levels):
    #: ``done`` of ``total``, total 0 while unknown.
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    #: Anything else the progress display needs (e.g. a LEXIMIN level).
    details = models.JSONField(default=dict, blank=True)
    #: In plain words: why it failed, or what it is doing.
    message = models.TextField(_("message"), blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
