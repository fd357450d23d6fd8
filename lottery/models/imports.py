"""Pool imports: an uploaded file of respondents, checked (and saved) by a job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly


class PoolImport(models.Model):
    """One upload of a pool file. The file holds personal data: it is deleted
    once its rows are imported (only its SHA-256 stays, so the same file is
    recognised), and previews are deleted after a day."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="pool_imports")
    file = models.FileField(upload_to="lottery/pool-imports/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(_("preview only"), default=True)
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: The report (rows read, valid, imported, errors by line, preview).
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pool import")
        verbose_name_plural = _("pool imports")
        constraints = [
            # The same file is imported into an assembly once: a double click or
            # twenty concurrent submissions find this row instead of adding people.
            models.UniqueConstraint(
                fields=["assembly", "sha256"], condition=Q(dry_run=False), name="one_import_per_file"
            )
        ]

    def __str__(self) -> str:
        return self.file_name
