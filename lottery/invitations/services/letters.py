"""Make the letters: one PDF per batch of invitations, rendered by tasks."""

from __future__ import annotations

import hashlib
import logging
import tempfile

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from lottery.models import Invitation, InvitationRound, JobStatus, LetterBatch
from lottery.rules import MANAGE_RECRUITMENT

from ..letters import Letter, render_letters
from ..selectors import RUNNING

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
    from ..tasks import render_letter_batch

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
            by=SYSTEM,
            assembly=locked.assembly,
            obj=locked,
            data={"letters": locked.letters_done},
        )
