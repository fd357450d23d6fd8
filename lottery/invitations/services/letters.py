"""Make the letters: one PDF per batch of invitations, rendered by tasks.

The round's letters job counts the letters made. Its batches share its
claim: the first batch task to start claims the job, the others report with
the same token; making the letters again starts a new job, and the tasks of
the old one stop (JobSuperseded) without writing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, acting_user, authorise
from assemblies.audit import audit_record
from jobs.models import Job
from jobs.models import JobStatus as Status
from jobs.services import (
    JobSuperseded,
    delay_on_commit,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
)
from lottery.models import Invitation, InvitationRound, JobStatus, LetterBatch
from lottery.rules import MANAGE_RECRUITMENT

from ..letters import Letter, address_lines, render_letters
from ..selectors import LETTERS_JOB

logger = logging.getLogger(__name__)

LETTERS_PER_BATCH = 500


@transaction.atomic
def invitation_round_letters_start(
    *, round: InvitationRound, by: Actor, chunk_size: int = LETTERS_PER_BATCH
) -> int:
    """Split the round's invitations into batches and queue one task per
    batch (so that several workers share them). Returns the number of batches."""
    authorise(
        by, MANAGE_RECRUITMENT, round.assembly, _("You may not manage the recruitment of this assembly.")
    )
    locked = InvitationRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    if locked.drawn_at is None:
        raise ValidationError(_("Draw the addresses before making the letters."))
    if locked.letters_job is not None and locked.letters_job.active:
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
    locked.letters_job = job_create(
        assembly_id=locked.assembly_id,
        kind=LETTERS_JOB,
        target_id=locked.pk,
        created_by=acting_user(by),
        total=total,
    )
    locked.save(update_fields=["letters_job"])
    audit_record(
        action="lottery.letters_started",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"letters": total, "batches": len(batches)},
    )
    _enqueue_batches(locked)
    round.refresh_from_db()
    return len(batches)


def _enqueue_batches(round: InvitationRound) -> None:
    from ..tasks import render_letter_batch

    pending = LetterBatch.objects.filter(round=round).exclude(status=JobStatus.DONE)
    for pk in pending.values_list("pk", flat=True):
        delay_on_commit(render_letter_batch, pk)


def invitation_round_letters_resume(*, round_id: int) -> None:
    """Publish the unfinished batches again (the letters job's task, run by
    ``jobs.tasks.requeue_stale_jobs`` when the job was never picked up or its
    workers died). Claims the job, so its old tasks stop."""
    round = InvitationRound.objects.filter(pk=round_id).first()
    if round is None or round.letters_job_id is None or job_claim(round.letters_job_id) is None:
        return
    with transaction.atomic():
        _enqueue_batches(round)


def _letters_token(job_id: int | None) -> str | None:
    """The letters job's claim, shared by its batches: claimed by the first
    batch to start, read by the others; None once the job is over."""
    if job_id is None:
        return None
    token = job_claim(job_id)
    if token is None:
        token = (
            Job.objects.filter(pk=job_id, status=Status.RUNNING).values_list("claim_token", flat=True).first()
        )
    return token or None


def letter_batch_render_run(*, batch_id: int) -> None:
    """Render one batch's PDF. Safe to run twice: a batch already done is skipped."""
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status == JobStatus.DONE:
            return
        round = InvitationRound.objects.select_related("assembly").get(pk=batch.round_id)
        job_id = round.letters_job_id
        token = _letters_token(job_id)
        if job_id is None or token is None:
            return  # the letters failed or were started again: this batch is not wanted
        batch.status = JobStatus.RUNNING
        batch.save(update_fields=["status"])
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
            address_lines=address_lines(
                inv.address.line1, inv.address.line2, inv.address.town, inv.address.postcode
            ),
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
                locked = LetterBatch.objects.select_for_update().filter(pk=batch_id).first()
                if locked is None or locked.status == JobStatus.DONE:  # deleted, or a twin run finished first
                    return
                job = _lock_job(job_id, token)
                if locked.pdf:
                    locked.pdf.delete(save=False)
                locked.pdf.save(f"round-{round.pk}-letters-{locked.number:03d}.pdf", File(target), save=False)
                locked.pages = pages
                locked.sha256 = digest.hexdigest()
                locked.status = JobStatus.DONE
                locked.save(update_fields=["pdf", "pages", "sha256", "status"])
                _letters_progress(round, job, token, len(letters))
    except JobSuperseded:
        logger.info("Letters batch %s no longer wanted", batch_id)
        LetterBatch.objects.filter(pk=batch_id, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED)
    except Exception:
        logger.exception("Letters batch %s failed", batch_id)
        with transaction.atomic():
            LetterBatch.objects.filter(pk=batch_id).update(status=JobStatus.FAILED)
            with contextlib.suppress(JobSuperseded):  # the letters were started again meanwhile
                job_fail(job_id, token, message=_("Some letters could not be made. Make the letters again."))
        raise


def _lock_job(job_id: int, token: str) -> Job:
    job = Job.objects.select_for_update().filter(pk=job_id, claim_token=token, status=Status.RUNNING).first()
    if job is None:
        raise JobSuperseded(job_id)
    return job


def _letters_progress(round: InvitationRound, job: Job, token: str, count: int) -> None:
    """Count the batch's letters (under the job's lock) and end the job with the last batch."""
    done = job.done + count
    job_progress(job.pk, token, done=done)
    if not LetterBatch.objects.filter(round_id=round.pk).exclude(status=JobStatus.DONE).exists():
        job_finish(job.pk, token)
        audit_record(
            action="lottery.letters_done",
            by=SYSTEM,
            assembly=round.assembly,
            obj=round,
            data={"letters": done},
        )
