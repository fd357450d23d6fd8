"""Upload an address file (checked before it is stored) and queue its import."""

from __future__ import annotations

import io
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor, acting_user, authorise
from assemblies.audit import audit_record
from jobs.models import Job
from jobs.services import delay_on_commit, job_create, job_restart
from lottery.models import InvitationRound
from lottery.rules import MANAGE_RECRUITMENT

from .. import addresses as pure
from ..selectors import IMPORT_JOB, job_working

# How much of the file the upload check reads to find the header.
HEADER_PEEK_BYTES = 64 * 1024


def check_address_file(*, file: IO[bytes], region_column: str = "") -> pure.Columns:
    """Check an uploaded file's header before it is stored, so that a wrong
    file is refused at once with the columns found. Raises ValidationError."""
    head = file.read(HEADER_PEEK_BYTES)
    file.seek(0)
    if isinstance(head, str):  # pragma: no cover - text-mode files in the shell
        head = head.encode()
    if not head.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    text = head.decode("utf-8-sig", errors="surrogateescape")
    try:
        columns = pure.read_header(io.StringIO(text, newline=""), region_column=region_column)
    except pure.AddressFileError as exc:
        raise ValidationError(str(exc), code="header") from exc
    if len(head) < HEADER_PEEK_BYTES and len([ln for ln in text.splitlines() if ln.strip()]) < 2:
        raise ValidationError(_("The file has a header line but no addresses below it."), code="no_rows")
    return columns


@transaction.atomic
def invitation_round_upload(*, round: InvitationRound, by: Actor) -> InvitationRound:
    """Save a new round with its (checked) address file and queue the import."""
    authorise(
        by, MANAGE_RECRUITMENT, round.assembly, _("You may not manage the recruitment of this assembly.")
    )
    if round.pk is not None:
        raise ValidationError(_("This round already has its address file."))
    if not round.address_file:
        raise ValidationError(_("Choose an address file to upload."))
    check_address_file(file=round.address_file, region_column=round.region_column)
    size = round.address_file.size or 0
    round.save()
    # Progress through the stored file, in bytes: the row count is unknown until the end.
    round.import_job = job_create(
        assembly_id=round.assembly_id,
        kind=IMPORT_JOB,
        target_id=round.pk,
        created_by=acting_user(by),
        total=size,
    )
    round.save(update_fields=["import_job"])
    audit_record(
        action="lottery.addresses_uploaded",
        by=by,
        assembly=round.assembly,
        obj=round,
        data={"bytes": size, "region_column": round.region_column},
    )
    _enqueue_import(round.pk)
    return round


def _enqueue_import(round_id: int) -> None:
    from ..tasks import import_addresses

    delay_on_commit(import_addresses, round_id)


@transaction.atomic
def invitation_round_import_restart(*, round: InvitationRound, by: Actor) -> None:
    """Queue the import again (after a failure), replacing what was imported."""
    authorise(
        by, MANAGE_RECRUITMENT, round.assembly, _("You may not manage the recruitment of this assembly.")
    )
    # The job first, then the round: the order the import's task locks them in.
    job = (
        Job.objects.select_for_update().filter(pk=round.import_job_id).first()
        if round.import_job_id is not None
        else None
    )
    locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
    if locked.drawn_at is not None:
        raise ValidationError(_("The addresses have been drawn already; the file cannot be imported again."))
    if job is None:
        locked.import_job = job_create(
            assembly_id=locked.assembly_id,
            kind=IMPORT_JOB,
            target_id=locked.pk,
            created_by=acting_user(by),
            total=locked.address_file.size or 0,
        )
        locked.save(update_fields=["import_job"])
    elif job_working(job):
        raise ValidationError(_("The import is already running."))
    else:
        job_restart(job)  # a task still holding the old claim stops at its next batch
    audit_record(action="lottery.addresses_import_restarted", by=by, assembly=locked.assembly, obj=locked)
    _enqueue_import(locked.pk)
