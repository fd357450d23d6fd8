"""Reads of stage 1 (invitation rounds): counts, progress and the downloads.

The downloads (the print house's CSV, the letters' zip) stream what is stored;
they change nothing.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import IO, Any

from django.db.models import Count
from django.utils import timezone

from lottery.models import Address, Invitation, InvitationRound, JobStatus, LetterBatch, Respondent
from reports.csv_safety import safe_row

# A running import whose worker has not written progress for this long is
# taken to be dead (its task is redelivered after a crash) and may be reclaimed.
IMPORT_STALE_AFTER = timedelta(minutes=5)
RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)


def import_stale(round: InvitationRound) -> bool:
    """No progress from the import's worker for IMPORT_STALE_AFTER (or ever)."""
    beat = round.import_heartbeat_at
    return beat is None or timezone.now() - beat > IMPORT_STALE_AFTER


def round_busy(round: InvitationRound) -> bool:
    """An import (not given up on) or letters are being worked on right now."""
    importing = round.import_status == JobStatus.RUNNING and not import_stale(round)
    return importing or round.letters_status == JobStatus.RUNNING


def round_contents(round: InvitationRound) -> dict[str, int]:
    """What deleting ``round`` removes, counted (for the confirmation page)."""
    return {
        "addresses": Address.objects.filter(round=round).count(),
        "invitations": Invitation.objects.filter(round=round).count(),
        "registered": Respondent.objects.filter(invitation__round=round).count(),
        "letter_files": LetterBatch.objects.filter(round=round).count(),
    }


def region_counts(round: InvitationRound) -> dict[str, int]:
    """Imported addresses per region (for the draw per region)."""
    rows = Address.objects.filter(round=round).values("region").annotate(n=Count("id")).order_by("region")
    return {r["region"]: r["n"] for r in rows}


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
