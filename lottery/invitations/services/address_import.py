"""Import a round's stored address file (the task's work).

The run claims its round first, so a task delivered twice (a worker crash
with late acks) does the work once; a newer run supersedes an older one.
"""

from __future__ import annotations

import io
import logging
import secrets
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM
from assemblies.audit import audit_record
from assemblies.bulk import bulk_insert
from lottery.models import Address, InvitationRound, JobStatus

from .. import addresses as pure
from ..selectors import import_stale

logger = logging.getLogger(__name__)

IMPORT_BATCH_ROWS = 10_000
ADDRESS_COLUMNS = ("assembly_id", "round_id", "line_number", "line1", "line2", "town", "postcode", "region")


def _claim_import(round_id: int) -> InvitationRound | None:
    """Lock the round, decide whether this run does the import, and start
    afresh (deleting rows of an interrupted run in the same transaction)."""
    with transaction.atomic():
        round = (
            InvitationRound.objects.select_for_update().select_related("assembly").filter(pk=round_id).first()
        )
        if round is None:
            return None  # deleted meanwhile
        if round.import_status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.IDLE):
            return None  # done, given up (restart explicitly), or never asked for
        if round.import_status == JobStatus.RUNNING and not import_stale(round):
            return None  # another worker is on it
        if round.drawn_at is not None:
            return None
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Address._meta.db_table} WHERE round_id = %s", [round.pk])  # noqa: S608
        round.import_status = JobStatus.RUNNING
        round.import_token = secrets.token_hex(16)
        round.import_heartbeat_at = timezone.now()
        round.rows_read = round.rows_imported = round.rows_rejected = 0
        round.import_bytes_read = 0
        round.import_errors = []
        round.import_message = ""
        round.import_finished_at = None
        round.save()
        return round


class _Superseded(Exception):
    """A newer run of the same import took over."""


def invitation_round_import_run(*, round_id: int) -> None:
    """Import the round's stored file: stream it, check each row, insert the
    good ones in batches and write progress after each batch."""
    round = _claim_import(round_id)
    if round is None:
        return
    token = round.import_token
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
                    _write_batch(round, token, batch, reader, imported, _tell(raw))
                    batch = []
            imported += len(batch)
            _write_batch(round, token, batch, reader, imported, _tell(raw))
    except _Superseded:
        logger.info("Import of round %s superseded by a newer run", round_id)
        return
    except pure.AddressFileError as exc:
        _finish_import(round, token, status=JobStatus.FAILED, message=str(exc))
        return
    except Exception:
        logger.exception("Import of round %s failed", round_id)
        _finish_import(
            round,
            token,
            status=JobStatus.FAILED,
            message=_("The import stopped because of an error on our side. Start it again; nothing is lost."),
        )
        raise
    message = ""
    if imported == 0:
        message = _("No address in the file could be imported; see the errors below.")
    _finish_import(round, token, status=JobStatus.DONE, message=message, reader=reader, imported=imported)


def _tell(raw: Any) -> int:
    try:
        return int(raw.tell())
    except (OSError, ValueError):  # pragma: no cover - unseekable storage
        return 0


def _write_batch(
    round: InvitationRound,
    token: str,
    rows: list[tuple[Any, ...]],
    reader: pure.AddressReader,
    imported: int,
    bytes_read: int,
) -> None:
    with transaction.atomic():
        # The lock serialises us with a newer run's claim (which deletes rows):
        # we never insert after another run has started afresh.
        current = (
            InvitationRound.objects.select_for_update().filter(pk=round.pk).values("import_token").first()
        )
        if current is None or current["import_token"] != token:
            raise _Superseded
        if rows:
            bulk_insert(Address, ADDRESS_COLUMNS, rows)
        InvitationRound.objects.filter(pk=round.pk).update(
            rows_read=reader.rows_read,
            rows_imported=imported,
            rows_rejected=reader.rows_rejected,
            import_bytes_read=bytes_read,
            import_errors=[list(e) for e in reader.errors],
            import_heartbeat_at=timezone.now(),
        )


def _finish_import(
    round: InvitationRound,
    token: str,
    *,
    status: str,
    message: str,
    reader: pure.AddressReader | None = None,
    imported: int | None = None,
) -> None:
    with transaction.atomic():
        locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
        if locked.import_token != token:
            return
        locked.import_status = status
        locked.import_message = message
        locked.import_finished_at = timezone.now()
        if reader is not None and imported is not None:
            locked.rows_read = reader.rows_read
            locked.rows_imported = imported
            locked.rows_rejected = reader.rows_rejected
            locked.import_errors = [list(e) for e in reader.errors]
            locked.import_bytes_read = locked.import_bytes_total
        locked.save()
        audit_record(
            action="lottery.addresses_imported"
            if status == JobStatus.DONE
            else "lottery.addresses_import_failed",
            by=SYSTEM,
            assembly=locked.assembly,
            obj=locked,
            data={
                "rows_imported": locked.rows_imported,
                "rows_rejected": locked.rows_rejected,
                "message": message,
            },
        )
