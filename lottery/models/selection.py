"""The lottery itself: runs, commitments, draws, replacements."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly


def summarise_bundle(bundle: dict[str, Any] | None) -> dict[str, Any]:
    """A bundle's quotas and stats, and the number of people in its pool and of its panels."""
    bundle = bundle if isinstance(bundle, dict) else {}
    pool, panels = bundle.get("pool"), bundle.get("panels")
    return {
        "quotas": bundle.get("quotas") or [],
        "stats": bundle.get("stats") or {},
        "n": len(pool) if isinstance(pool, list) else 0,
        "m": len(panels) if isinstance(panels, list) else 0,
    }


class RunKind(models.TextChoices):
    SELECTION = "selection", _("Selection")
    REPLACEMENT = "replacement", _("Replacement")


class DrawStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing")
    COMPUTED = "computed", _("Computed, commitment not yet published")
    COMMITTED = "committed", _("Commitment published, waiting for the public randomness")
    DRAWN = "drawn", _("Drawn")
    FAILED = "failed", _("Failed")


class SelectionRun(models.Model):
    """One lottery: compute the LEXIMIN distribution, publish the commitment,
    draw with public randomness. Replacements are runs with seats fixed."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="selection_runs")
    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.SELECTION)
    status = models.CharField(max_length=20, choices=DrawStatus.choices, default=DrawStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    request_key = models.CharField(max_length=64, unique=True, help_text=_("Idempotency key of the request."))
    panel_size = models.PositiveIntegerField(_("seats to fill"))
    lottery_size = models.PositiveIntegerField(_("panels in the public lottery"), default=1000)
    replaces = models.ForeignKey(
        "lottery.Respondent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacement_runs",
    )
    # The computation: its claim, heartbeat, progress (stage, LEXIMIN level,
    # panels, current minimum, time limit) and failure message. ``status``
    # above stays the run's own lifecycle.
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Results: pseudonymous, so they can be published and outlive erasure.
    bundle = models.JSONField(
        default=dict, blank=True, help_text=_("Pool (pseudonyms and features), quotas, panels.")
    )
    # What the public page shows of the bundle (its quotas, stats and the
    # sizes of its pool and panels), kept beside it so that the page need not
    # read the whole bundle (hundreds of kilobytes, decompressed on every
    # read); derived from the bundle by save() or with it by the compute service.
    summary = models.JSONField(_("summary for the public page"), default=dict, blank=True, editable=False)
    min_probability = models.FloatField(null=True, blank=True)
    legacy_min_probability = models.FloatField(null=True, blank=True)
    commitment = models.CharField(max_length=64, blank=True)
    randomness_source = models.CharField(_("source of the public randomness"), max_length=300, blank=True)
    randomness = models.CharField(_("public randomness"), max_length=300, blank=True)
    panel_index = models.PositiveIntegerField(null=True, blank=True)
    selected = models.JSONField(default=list, blank=True)
    reserves = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_assembly",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "bundle" in update_fields:
            self.summary = summarise_bundle(self.bundle)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "summary"}
        super().save(*args, **kwargs)

    @property
    def error(self) -> str:
        """Why the computation failed, in plain words ("" unless it failed)."""
        if self.status != DrawStatus.FAILED or self.job_id is None or self.job is None:
            return ""
        return self.job.message
