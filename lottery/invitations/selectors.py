"""Reads of stage 1 (invitation rounds): counts, job states and the downloads.

The downloads (the print house's CSV, the letters' zip) stream what is stored;
they change nothing.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import Count
from django.utils import timezone

from jobs.models import Job
from jobs.models import JobStatus as Status
from jobs.services import stale_after
from lottery.models import Address, Invitation, InvitationRound, JobStatus, LetterBatch, Respondent
from reports.csv_safety import safe_row

#: The kinds of job of a round (registered in ``lottery.plugin``).
IMPORT_JOB = "lottery.address_import"
LETTERS_JOB = "lottery.invitation_letters"


def job_working(job: Job | None) -> bool:
    """A worker holds ``job`` and has reported lately. A running job whose
    worker has been silent for ``jobs.services.stale_after()`` is taken to be
    dead (the beat job publishes it again) and may be claimed again."""
    if job is None or job.status != Status.RUNNING:
        return False
    return job.heartbeat_at is not None and job.heartbeat_at >= timezone.now() - stale_after()


def round_busy(round: InvitationRound) -> bool:
    """An import (not given up on) or letters are being worked on right now
    (one query for both jobs)."""
    ids = [pk for pk in (round.import_job_id, round.letters_job_id) if pk is not None]
    return (
        bool(ids)
        and Job.objects.filter(
            pk__in=ids, status=Status.RUNNING, heartbeat_at__gte=timezone.now() - stale_after()
        ).exists()
    )


def import_done(round: InvitationRound) -> bool:
    """The address file was imported (whether or not any row was good)."""
    return round.import_job is not None and round.import_job.status == Status.DONE


def letters_done(round: InvitationRound) -> bool:
    return round.letters_job is not None and round.letters_job.status == Status.DONE


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
