"""Import a round's stored address file (the task's work).

The run claims the round's import job first (``jobs.services.job_claim``), so
a task delivered twice (a worker crash with late acks) does the work once; a
restart takes the claim, and the older run stops before its next batch.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from assemblies.bulk import bulk_insert
from jobs.models import Job, JobStatus
from jobs.services import JobSuperseded, job_claim, job_fail, job_finish, job_progress
from lottery.models import Address, InvitationRound

from .. import addresses as pure

logger = logging.getLogger(__name__)

IMPORT_BATCH_ROWS = 10_000
ADDRESS_COLUMNS = ("assembly_id", "round_id", "line_number", "line1", "line2", "town", "postcode", "region")


def _lock_job(job_id: int, token: str) -> None:
    """Lock the import's job row while it is ours, else raise JobSuperseded.

    The lock serialises a batch with a newer run's claim (which deletes the
    rows): we never insert after another run has started afresh."""
    if not Job.objects.select_for_update().filter(pk=job_id, claim_token=token, status=JobStatus.RUNNING):
        raise JobSuperseded(job_id)


def _claim_import(round_id: int) -> tuple[InvitationRound, str] | None:
    """Claim the round's import job and start afresh (deleting the rows of an
    interrupted run under the job's lock). None: nothing for this run to do."""
    round = InvitationRound.objects.select_related("assembly").filter(pk=round_id).first()
    if round is None or round.import_job_id is None or round.drawn_at is not None:
        return None  # deleted meanwhile, never asked for, or drawn already
    token = job_claim(round.import_job_id)
    if token is None:
        return None  # done, given up (restart explicitly), or another worker is on it
    with transaction.atomic():
        try:
            _lock_job(round.import_job_id, token)
        except JobSuperseded:
            return None
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Address._meta.db_table} WHERE round_id = %s", [round.pk])  # noqa: S608
        round.rows_read = round.rows_imported = round.rows_rejected = 0
        round.import_errors = []
        round.save(update_fields=["rows_read", "rows_imported", "rows_rejected", "import_errors"])
    return round, token


def invitation_round_import_run(*, round_id: int) -> None:
    """Import the round's stored file: stream it, check each row, insert the
    good ones in batches and write progress after each batch."""
    claimed = _claim_import(round_id)
    if claimed is None:
        return
    round, token = claimed
    job_id: int = round.import_job_id  # type: ignore[assignment]  # set: claimed
    try:
        with round.address_file.open("rb") as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
            reader = pure.AddressReader(stream, region_column=round.region_column)
            imported = 0
            batch: list[tuple[Any, ...]] = []
            for row in reader:
                batch.append(
                    (
                        round.assembly_id,
                        round.pk,
                        row.line_number,
                        row.line1,
                        row.line2,
                        row.town,
                        row.postcode,
                        row.region,
                    )
                )
                if len(batch) >= IMPORT_BATCH_ROWS:
                    imported += len(batch)
                    _write_batch(round, job_id, token, batch, reader, imported, _tell(raw))
                    batch = []
            imported += len(batch)
            _write_batch(round, job_id, token, batch, reader, imported, _tell(raw))
    except JobSuperseded:
        logger.info("Import of round %s superseded by a newer run", round_id)
        return
    except pure.AddressFileError as exc:
        _finish_import(round, job_id, token, failed=True, message=str(exc))
        return
    except Exception:
        logger.exception("Import of round %s failed", round_id)
        _finish_import(
            round,
            job_id,
            token,
            failed=True,
            message=_("The import stopped because of an error on our side. Start it again; nothing is lost."),
        )
        raise
    message = ""
    if imported == 0:
        message = _("No address in the file could be imported; see the errors below.")
    _finish_import(round, job_id, token, failed=False, message=message, reader=reader, imported=imported)


def _tell(raw: Any) -> int:
    try:
        return int(raw.tell())
    except (OSError, ValueError):  # pragma: no cover - unseekable storage
        return 0


def _counts(reader: pure.AddressReader, imported: int) -> dict[str, int]:
    return {"rows_read": reader.rows_read, "rows_imported": imported, "rows_rejected": reader.rows_rejected}


def _write_batch(
    round: InvitationRound,
    job_id: int,
    token: str,
    rows: list[tuple[Any, ...]],
    reader: pure.AddressReader,
    imported: int,
    bytes_read: int,
) -> None:
    with transaction.atomic():
        _lock_job(job_id, token)
        if rows:
            bulk_insert(Address, ADDRESS_COLUMNS, rows)
        counts = _counts(reader, imported)
        InvitationRound.objects.filter(pk=round.pk).update(
            **counts, import_errors=[list(e) for e in reader.errors]
        )
        # The counts again on the job, for the progress display while the page polls.
        job_progress(job_id, token, done=bytes_read, details=counts)


def _finish_import(
    round: InvitationRound,
    job_id: int,
    token: str,
    *,
    failed: bool,
    message: str,
    reader: pure.AddressReader | None = None,
    imported: int | None = None,
) -> None:
    with transaction.atomic():
        try:
            _lock_job(job_id, token)
        except JobSuperseded:
            return
        locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
        if reader is not None and imported is not None:
            locked.rows_read = reader.rows_read
            locked.rows_imported = imported
            locked.rows_rejected = reader.rows_rejected
            locked.import_errors = [list(e) for e in reader.errors]
            locked.save(update_fields=["rows_read", "rows_imported", "rows_rejected", "import_errors"])
        if failed:
            job_fail(job_id, token, message=message)
        else:
            total = Job.objects.filter(pk=job_id).values_list("total", flat=True).get()
            job_progress(
                job_id, token, done=total, details=_counts(reader, imported or 0) if reader else None
            )
            job_finish(job_id, token, message=message)
        audit_record(
            action="lottery.addresses_import_failed" if failed else "lottery.addresses_imported",
            by=SYSTEM,
            assembly=locked.assembly,
            obj=locked,
            data={
                "rows_imported": locked.rows_imported,
                "rows_rejected": locked.rows_rejected,
                "message": message,
            },
        )
