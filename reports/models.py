"""Stored, versioned documents: what an assembly publishes as its reports.

A ``Document`` is one version of one report (its kind, language and version
number), rendered in the background; its ``DocumentFile`` rows are the bytes:
the PDF and the same content as data (JSON and CSV), each with its size and
SHA-256 so that anyone can check a copy against the original.

Versions are never rewritten: rendering again makes the next version, and the
files of a version are written once, by its rendering job. A draft is for the
organisers only; publishing makes it public, withdrawing hides it again (the
bytes stay, so a published file never changes).

This app is a low layer: the assembly is referenced by name, never imported.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    FINAL = "final", _("Final report")
    PROGRESS = "progress", _("Progress report")
    DATA = "data", _("Data")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    PUBLISHED = "published", pgettext_lazy("report status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("report status", "Withdrawn")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"
    CSV = "csv", "CSV"


CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.JSON: "application/json",
    FileFormat.CSV: "text/csv; charset=utf-8",
}


class Document(models.Model):
    assembly = models.ForeignKey(
        "assemblies.Assembly", on_delete=models.CASCADE, related_name="documents", verbose_name=_("assembly")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    #: The file names' stem, e.g. "final-report-en-v2" (unique in the assembly):
    #: the public addresses end in "<name>.pdf", ".json" and ".csv".
    name = models.SlugField(_("file name"), max_length=80)
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    #: The date the report describes (a progress report's "status at"); None: when rendered.
    as_of = models.DateField(_("as of"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("job")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "language", "-version"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "kind", "language", "version"], name="document_version_unique"
            ),
            models.UniqueConstraint(fields=["assembly", "name"], name="document_name_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="document_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.PUBLISHED) | Q(rendered_at__isnull=False),
                name="document_published_is_rendered",
            ),
        ]
        indexes = [models.Index(fields=["assembly", "status"], name="document_assembly_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED


class DocumentFile(models.Model):
    """One file of a document version, written once by its rendering job."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    #: Private storage (under MEDIA_ROOT, never served by the web server).
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "format"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(fields=["document", "format"], name="document_file_format_unique"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_file_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.document.name}.{self.format}"

    @property
    def download_name(self) -> str:
        return f"{self.document.name}.{self.format}"
