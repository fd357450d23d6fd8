"""Stage 1 of recruitment: upload an address file, import it, draw, letters.

Organiser actions (upload, draw, letters) are services with an audit event;
the long work (import, rendering) runs in tasks that call the ``*_run``
functions here with primary keys. Each run claims its row first, so a task
delivered twice (a worker crash with late acks) does the work once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.audit import audit_record
from lottery.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Address,
    Invitation,
    InvitationRound,
    JobStatus,
    LetterBatch,
    Respondent,
)
from reports.csv_safety import safe_row

from . import addresses as pure
from .letters import Letter, render_letters

logger = logging.getLogger(__name__)

IMPORT_BATCH_ROWS = 10_000
LETTERS_PER_BATCH = 500
# A running import whose worker has not written progress for this long is
# taken to be dead (its task is redelivered after a crash) and may be reclaimed.
IMPORT_STALE_AFTER = timedelta(minutes=5)
# How much of the file the upload check reads to find the header.
HEADER_PEEK_BYTES = 64 * 1024
ADDRESS_COLUMNS = ("assembly_id", "round_id", "line_number", "line1", "line2", "town", "postcode", "region")
RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)


# --- upload -----------------------------------------------------------------


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
def invitation_round_upload(*, round: InvitationRound, by: Any) -> InvitationRound:
    """Save a new round with its (checked) address file and queue the import."""
    if round.pk is not None:
        raise ValidationError(_("This round already has its address file."))
    if not round.address_file:
        raise ValidationError(_("Choose an address file to upload."))
    check_address_file(file=round.address_file, region_column=round.region_column)
    round.import_status = JobStatus.QUEUED
    round.import_bytes_total = round.address_file.size or 0
    round.save()
    audit_record(
        action="lottery.addresses_uploaded",
        by=by,
        assembly=round.assembly,
        obj=round,
        data={"bytes": round.import_bytes_total, "region_column": round.region_column},
    )
    _enqueue_import(round.pk)
    return round


def _enqueue_import(round_id: int) -> None:
    from .tasks import import_addresses

    transaction.on_commit(lambda: import_addresses.delay(round_id))


@transaction.atomic
def invitation_round_import_restart(*, round: InvitationRound, by: Any) -> None:
    """Queue the import again (after a failure), replacing what was imported."""
    locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
    if locked.drawn_at is not None:
        raise ValidationError(_("The addresses have been drawn already; the file cannot be imported again."))
    if locked.import_status in RUNNING and not _stale(locked):
        raise ValidationError(_("The import is already running."))
    locked.import_status = JobStatus.QUEUED
    locked.import_token = ""
    locked.save(update_fields=["import_status", "import_token"])
    audit_record(action="lottery.addresses_import_restarted", by=by, assembly=locked.assembly, obj=locked)
    _enqueue_import(locked.pk)


# --- import (the task's work) ------------------------------------------------


def _stale(round: InvitationRound) -> bool:
    beat = round.import_heartbeat_at
    return beat is None or timezone.now() - beat > IMPORT_STALE_AFTER


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
        if round.import_status == JobStatus.RUNNING and not _stale(round):
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
            _insert_addresses(rows)
        InvitationRound.objects.filter(pk=round.pk).update(
            rows_read=reader.rows_read,
            rows_imported=imported,
            rows_rejected=reader.rows_rejected,
            import_bytes_read=bytes_read,
            import_errors=[list(e) for e in reader.errors],
            import_heartbeat_at=timezone.now(),
        )


def _insert_addresses(rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        pg = connection.connection  # the psycopg 3 connection, in Django's transaction
        columns = ", ".join(ADDRESS_COLUMNS)
        with (
            pg.cursor() as cursor,
            cursor.copy(f"COPY {Address._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    Address.objects.bulk_create(
        [Address(**dict(zip(ADDRESS_COLUMNS, row, strict=True))) for row in rows], batch_size=2000
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
            by=None,
            assembly=locked.assembly,
            obj=locked,
            data={
                "rows_imported": locked.rows_imported,
                "rows_rejected": locked.rows_rejected,
                "message": message,
            },
        )


# --- the draw ---------------------------------------------------------------


def region_counts(round: InvitationRound) -> dict[str, int]:
    rows = Address.objects.filter(round=round).values("region").annotate(n=Count("id")).order_by("region")
    return {r["region"]: r["n"] for r in rows}


def _parse_counts(per_region: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for region, value in per_region.items():
        try:
            counts[str(region)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("The count for “%(region)s” is not a whole number.") % {"region": region}
            ) from exc
    return counts


@transaction.atomic
def invitation_round_draw(
    *,
    round: InvitationRound,
    size: int | None = None,
    per_region: Mapping[str, Any] | None = None,
    seed: str | None = None,
    by: Any,
) -> int:
    """Draw the addresses to invite, once per round, reproducibly from ``seed``.

    Addresses are taken in id order (the file's order); ``size`` positions are
    sampled without replacement with ``random.Random(seed)``, or, with
    ``per_region``, the given count in each region (regions in name order,
    one generator). Creates one Invitation per drawn address, numbered 1..N
    in file order, each with a fresh registration code. Returns N.
    """
    locked = InvitationRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    if locked.drawn_at is not None:
        raise ValidationError(
            _(
                "The addresses of this round were drawn on %(when)s. A round is drawn only once; "
                "start a new round to invite more addresses."
            )
            % {"when": timezone.localtime(locked.drawn_at).strftime("%d %b %Y %H:%M")}
        )
    if locked.import_status != JobStatus.DONE or locked.rows_imported == 0:
        raise ValidationError(
            _("The address file must be imported, with at least one address, before the draw.")
        )
    if (size is None) == (not per_region):
        raise ValidationError(_("Give either a total number of addresses or a number per region."))
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise ValidationError(_("The seed may have at most 64 characters."))
    addresses = Address.objects.filter(round=locked).order_by("id")
    try:
        if per_region:
            if not locked.region_column:
                raise ValidationError(_("This round has no region column, so it cannot be drawn per region."))
            wanted = _parse_counts(per_region)
            available = region_counts(locked)
            picked = pure.draw_indices_per_region(seed, available, wanted)
            chosen: list[int] = []
            for region, positions in picked.items():
                ids = list(addresses.filter(region=region).values_list("id", flat=True))
                chosen.extend(ids[i] for i in positions)
            chosen.sort()
        else:
            assert size is not None
            ids = list(addresses.values_list("id", flat=True))
            chosen = [ids[i] for i in pure.draw_indices(seed, len(ids), int(size))]
    except pure.DrawError as exc:
        raise ValidationError(str(exc)) from exc
    _create_invitations(locked, chosen)
    locked.draw_seed = seed
    locked.draw_size = len(chosen)
    locked.draw_per_region = dict(wanted) if per_region else {}
    locked.drawn_at = timezone.now()
    locked.save(update_fields=["draw_seed", "draw_size", "draw_per_region", "drawn_at"])
    audit_record(
        action="lottery.addresses_drawn",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"size": len(chosen), "per_region": locked.draw_per_region, "seed": seed},
    )
    round.refresh_from_db()
    return len(chosen)


def _new_codes(count: int) -> list[str]:
    """``count`` distinct random codes from CODE_ALPHABET (uniform: bytes at
    or above the largest multiple of the alphabet's size are discarded)."""
    base = len(CODE_ALPHABET)
    limit = 256 - 256 % base
    codes: set[str] = set()
    while len(codes) < count:
        raw = [b for b in secrets.token_bytes((count - len(codes)) * CODE_LENGTH * 2) if b < limit]
        for i in range(0, len(raw) - CODE_LENGTH + 1, CODE_LENGTH):
            codes.add("".join(CODE_ALPHABET[b % base] for b in raw[i : i + CODE_LENGTH]))
            if len(codes) == count:
                break
    return list(codes)


INVITATION_COLUMNS = ("assembly_id", "round_id", "address_id", "sequence", "code")


def _insert_invitations(rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(
                f"COPY {Invitation._meta.db_table} ({', '.join(INVITATION_COLUMNS)}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    Invitation.objects.bulk_create(
        [Invitation(**dict(zip(INVITATION_COLUMNS, row, strict=True))) for row in rows]
    )


def _create_invitations(round: InvitationRound, address_ids: list[int], chunk: int = 5000) -> None:
    # A unique violation from the driver itself (COPY bypasses Django's wrapping).
    integrity_errors = (IntegrityError, connection.Database.IntegrityError)  # type: ignore[attr-defined]
    for start in range(0, len(address_ids), chunk):
        part = address_ids[start : start + chunk]
        for attempt in range(5):
            codes = _new_codes(len(part))
            if Invitation.objects.filter(code__in=codes).exists():
                continue  # a collision with another round's code: about 1 in 10^4 per 5,000 codes
            rows = [
                (round.assembly_id, round.pk, address_id, start + i + 1, code)
                for i, (address_id, code) in enumerate(zip(part, codes, strict=True))
            ]
            try:
                with transaction.atomic():
                    _insert_invitations(rows)
                break
            except integrity_errors:  # a code taken meanwhile by a concurrent draw
                if attempt == 4:
                    raise
        else:
            raise RuntimeError("Could not find unused registration codes")  # pragma: no cover


# --- letters ----------------------------------------------------------------


@transaction.atomic
def invitation_round_letters_start(
    *, round: InvitationRound, by: Any, chunk_size: int = LETTERS_PER_BATCH
) -> int:
    """Split the round's invitations into batches and queue one task per
    batch (so that several workers share them). Returns the number of batches."""
    locked = InvitationRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    if locked.drawn_at is None:
        raise ValidationError(_("Draw the addresses before making the letters."))
    if locked.letters_status in RUNNING:
        raise ValidationError(_("The letters are being made already."))
    total = locked.invitations.count()
    for old in LetterBatch.objects.filter(round=locked):
        if old.pdf:
            old.pdf.delete(save=False)
    LetterBatch.objects.filter(round=locked).delete()
    batches = [
        LetterBatch(
            assembly_id=locked.assembly_id,
            round=locked,
            number=n + 1,
            first_invitation=first,
            last_invitation=min(first + chunk_size - 1, total),
        )
        for n, first in enumerate(range(1, total + 1, chunk_size))
    ]
    LetterBatch.objects.bulk_create(batches)
    locked.letters_status = JobStatus.QUEUED
    locked.letters_done = 0
    locked.letters_total = total
    locked.letters_message = ""
    locked.save(update_fields=["letters_status", "letters_done", "letters_total", "letters_message"])
    audit_record(
        action="lottery.letters_started",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"letters": total, "batches": len(batches)},
    )
    from .tasks import render_letter_batch

    ids = list(LetterBatch.objects.filter(round=locked).values_list("pk", flat=True))
    transaction.on_commit(lambda: [render_letter_batch.delay(pk) for pk in ids])
    round.refresh_from_db()
    return len(batches)


def letter_batch_render_run(*, batch_id: int) -> None:
    """Render one batch's PDF. Safe to run twice: a batch already done is skipped."""
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status == JobStatus.DONE:
            return
        batch.status = JobStatus.RUNNING
        batch.save(update_fields=["status"])
        InvitationRound.objects.filter(pk=batch.round_id, letters_status=JobStatus.QUEUED).update(
            letters_status=JobStatus.RUNNING
        )
    round = InvitationRound.objects.select_related("assembly").get(pk=batch.round_id)
    invitations = (
        Invitation.objects.filter(
            round=round, sequence__gte=batch.first_invitation, sequence__lte=batch.last_invitation
        )
        .select_related("address")
        .order_by("sequence")
    )
    letters = [
        Letter(
            sequence=inv.sequence,
            code=inv.code,
            address_lines=[
                p
                for p in (
                    inv.address.line1,
                    inv.address.line2,
                    " ".join(x for x in (inv.address.postcode, inv.address.town) if x),
                )
                if p
            ],
        )
        for inv in invitations
    ]
    try:
        with tempfile.TemporaryFile() as target:
            pages = render_letters(assembly=round.assembly, letters=letters, target=target)
            target.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: target.read(1 << 20), b""):
                digest.update(block)
            target.seek(0)
            with transaction.atomic():
                locked = LetterBatch.objects.select_for_update().get(pk=batch_id)
                if locked.status == JobStatus.DONE:  # a twin run finished first
                    return
                if locked.pdf:
                    locked.pdf.delete(save=False)
                locked.pdf.save(f"round-{round.pk}-letters-{locked.number:03d}.pdf", File(target), save=False)
                locked.pages = pages
                locked.sha256 = digest.hexdigest()
                locked.status = JobStatus.DONE
                locked.save(update_fields=["pdf", "pages", "sha256", "status"])
                _letters_progress(round.pk, len(letters), by_batch=locked)
    except Exception:
        logger.exception("Letters batch %s failed", batch_id)
        with transaction.atomic():
            LetterBatch.objects.filter(pk=batch_id).update(status=JobStatus.FAILED)
            InvitationRound.objects.filter(pk=round.pk).update(
                letters_status=JobStatus.FAILED,
                letters_message=_("Some letters could not be made. Make the letters again."),
            )
        raise


def _letters_progress(round_id: int, count: int, *, by_batch: LetterBatch) -> None:
    locked = InvitationRound.objects.select_for_update().select_related("assembly").get(pk=round_id)
    locked.letters_done = F("letters_done") + count
    locked.save(update_fields=["letters_done"])
    locked.refresh_from_db(fields=["letters_done"])
    if not LetterBatch.objects.filter(round_id=round_id).exclude(status=JobStatus.DONE).exists():
        if locked.letters_status != JobStatus.FAILED:
            locked.letters_status = JobStatus.DONE
            locked.save(update_fields=["letters_status"])
        audit_record(
            action="lottery.letters_done",
            by=None,
            assembly=locked.assembly,
            obj=locked,
            data={"letters": locked.letters_done},
        )


# --- downloads --------------------------------------------------------------

PRINT_HOUSE_HEADER = [
    "letter_number",
    "code",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "region",
]


def print_house_rows(round: InvitationRound) -> Iterator[list[Any]]:
    """The print house's CSV, row by row (header first), cells made safe."""
    yield PRINT_HOUSE_HEADER
    rows = (
        Invitation.objects.filter(round=round)
        .order_by("sequence")
        .values_list(
            "sequence",
            "code",
            "address__line1",
            "address__line2",
            "address__town",
            "address__postcode",
            "address__region",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        yield safe_row(row)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """Rows as CSV text, one line at a time (for a streaming response)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


def write_letters_zip(round: InvitationRound, target: IO[bytes]) -> int:
    """Every finished PDF of the round into a zip (stored, not deflated:
    PDFs are compressed already). Returns the number of files."""
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for batch in LetterBatch.objects.filter(round=round, status=JobStatus.DONE).order_by("number"):
            with (
                batch.pdf.open("rb") as pdf,
                archive.open(f"letters-{batch.number:03d}.pdf", "w", force_zip64=True) as entry,
            ):
                shutil.copyfileobj(pdf, entry, 1 << 20)
            count += 1
    return count


def letters_pdf_name(batch: LetterBatch) -> str:
    return f"letters-{batch.round_id}-{batch.number:03d}.pdf"


__all__ = [
    "check_address_file",
    "csv_lines",
    "invitation_round_draw",
    "invitation_round_import_restart",
    "invitation_round_import_run",
    "invitation_round_letters_start",
    "invitation_round_upload",
    "letter_batch_render_run",
    "print_house_rows",
    "region_counts",
    "write_letters_zip",
]


# --- deleting a round ---------------------------------------------------------


def round_contents(round: InvitationRound) -> dict[str, int]:
    """What deleting ``round`` removes, counted (for the confirmation page)."""
    return {
        "addresses": Address.objects.filter(round=round).count(),
        "invitations": Invitation.objects.filter(round=round).count(),
        "registered": Respondent.objects.filter(invitation__round=round).count(),
        "letter_files": LetterBatch.objects.filter(round=round).count(),
    }


def round_busy(round: InvitationRound) -> bool:
    """An import (not given up on) or letters are being worked on right now."""
    importing = round.import_status == JobStatus.RUNNING and not _stale(round)
    return importing or round.letters_status == JobStatus.RUNNING


def invitation_round_delete(*, round: InvitationRound, by: Any) -> dict[str, int]:
    """Delete a round with its addresses, invitations (codes) and letter files.

    Django's cascade would load every related row (up to a million addresses)
    into memory first; each table is emptied here by one set-based DELETE.
    People who already registered keep their registration: only their link to
    the invitation is cleared, and their code stops working. Refused while the
    import or the letters are being worked on."""
    with transaction.atomic():
        locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
        if round_busy(locked):
            raise ValidationError(
                _("This round is being worked on (address import or letters). Wait for it to finish.")
            )
        counts = round_contents(locked)
        Respondent.objects.filter(invitation__round=locked).update(invitation=None)
        files = [
            name for name in LetterBatch.objects.filter(round=locked).values_list("pdf", flat=True) if name
        ]
        if locked.address_file:
            files.append(locked.address_file.name)
        with connection.cursor() as cursor:
            for model in (Invitation, Address, LetterBatch):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE round_id = %s", [locked.pk])  # noqa: S608
        audit_record(
            action="lottery.round_deleted",
            by=by,
            assembly=locked.assembly,
            obj=locked,
            data={"name": locked.name, **counts},
        )
        locked.delete()
        storage = InvitationRound._meta.get_field("address_file").storage

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return counts
