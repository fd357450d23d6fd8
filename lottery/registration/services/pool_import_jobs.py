"""Pool imports as jobs: the upload is stored and checked (or imported) by a
worker, so a large file never holds a request; the same file is imported
into an assembly once, whoever clicks and however often.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.models import Assembly
from assemblies.rules import SEE_PERSONAL_DATA
from jobs.models import JobStatus
from jobs.services import (
    JobSuperseded,
    delay_on_commit,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
)
from lottery.models import PoolImport
from lottery.rules import MANAGE_RECRUITMENT

from .pool_import import pool_import

logger = logging.getLogger(__name__)

KIND = "lottery.pool_import"
#: How long the file of a preview is kept for "Import these rows".
PREVIEW_FILE_KEPT = timedelta(days=1)


def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _authorise(by: Actor, assembly: Assembly) -> None:
    authorise(by, MANAGE_RECRUITMENT, assembly, _("You may not import a pool into this assembly."))
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not see respondents of this assembly."))


def pool_import_start(*, assembly: Assembly, file: Any, dry_run: bool, by: Actor) -> PoolImport:
    """Store the upload and queue its check (``dry_run``) or import.

    A real import of a file already imported (or being imported) into this
    assembly returns that import instead of adding anyone twice."""
    _authorise(by, assembly)
    sha256 = _sha256(file)
    name = (getattr(file, "name", "") or "pool.csv").rsplit("/", 1)[-1][:255]
    if not dry_run and (existing := _existing_import(assembly, sha256)) is not None:
        return existing
    try:
        with transaction.atomic():
            record = PoolImport(
                assembly=assembly,
                file_name=name,
                sha256=sha256,
                dry_run=dry_run,
                created_by=acting_user(by),  # type: ignore[misc]  # AUTH_USER_MODEL, typed as its abstract base
            )
            record.file.save(name, file, save=False)
            return _queue(record, by)
    except IntegrityError:
        # Another request with the same file won the race: show its import.
        existing = _existing_import(assembly, sha256)
        if existing is None:
            raise
        return existing


def pool_import_confirm(*, preview: PoolImport, by: Actor) -> PoolImport:
    """Import the rows of a checked file (a preview), without uploading it again."""
    _authorise(by, preview.assembly)
    if not preview.dry_run or preview.job is None or preview.job.status != JobStatus.DONE:
        raise ValidationError(_("Only a finished preview can be imported."))
    if (existing := _existing_import(preview.assembly, preview.sha256)) is not None:
        return existing
    if not preview.file:
        raise ValidationError(_("The file of this preview has been deleted. Upload it again."))
    try:
        with transaction.atomic():
            record = PoolImport(
                assembly=preview.assembly,
                file_name=preview.file_name,
                sha256=preview.sha256,
                dry_run=False,
                created_by=acting_user(by),  # type: ignore[misc]  # AUTH_USER_MODEL, typed as its abstract base
            )
            with preview.file.open("rb") as source:
                record.file.save(preview.file_name, ContentFile(source.read()), save=False)
            return _queue(record, by)
    except IntegrityError:
        existing = _existing_import(preview.assembly, preview.sha256)
        if existing is None:
            raise
        return existing


def _existing_import(assembly: Assembly, sha256: str) -> PoolImport | None:
    return (
        PoolImport.objects.filter(assembly=assembly, sha256=sha256, dry_run=False)
        .select_related("job")
        .first()
    )


def _queue(record: PoolImport, by: Actor) -> PoolImport:
    from ..tasks import run_pool_import

    record.save()
    record.job = job_create(
        assembly_id=record.assembly_id, kind=KIND, target_id=record.pk, created_by=acting_user(by)
    )
    record.save(update_fields=["job"])
    delay_on_commit(run_pool_import, record.pk)
    return record


def pool_import_run(*, pool_import_id: int) -> None:
    """The task's work: claim the job, check (and save) the rows in batches,
    store the report; a real import's file is deleted once its rows are in."""
    record = PoolImport.objects.select_related("assembly", "job").filter(pk=pool_import_id).first()
    if record is None or record.job_id is None:
        return
    token = job_claim(record.job_id)
    if token is None:
        return
    job_id = record.job_id
    try:
        with record.file.open("rb") as file:
            report = pool_import(
                assembly=record.assembly,
                file=file,
                file_name=record.file_name,
                dry_run=record.dry_run,
                by=SYSTEM,
                progress=lambda rows: job_progress(job_id, token, done=rows),
            )
        record.report = report.as_dict()
        record.save(update_fields=["report"])
        job_progress(job_id, token, done=report.rows_read)
        job_finish(job_id, token)
    except JobSuperseded:
        return
    except Exception:
        logger.exception("pool import %s failed", pool_import_id)
        job_fail(
            job_id,
            token,
            message=_("The check stopped because of an error on our side. Upload the file again."),
        )
        raise
    if not record.dry_run:
        record.file.delete(save=True)


def pool_import_files_expire(*, older_than: timedelta = PREVIEW_FILE_KEPT) -> int:
    """After a day, a pool import keeps no personal data: its file is deleted
    and its report keeps only the counts (the preview's names and emails, and
    the rows' problems, which quote cells, go). Returns how many imports were
    cleaned. Run by the hourly erasure beat job."""
    cutoff = timezone.now() - older_than
    cleaned = 0
    stale = PoolImport.objects.filter(created_at__lt=cutoff).exclude(
        file="", report__preview=[], report__errors=[]
    )
    for record in stale:
        if record.file:
            record.file.delete(save=False)
        record.report = {**record.report, "preview": [], "errors": []}
        record.save(update_fields=["file", "report"])
        cleaned += 1
    return cleaned
