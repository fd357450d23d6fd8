"""Delete an invitation round and everything it made."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from jobs.models import Job
from lottery.models import Address, Invitation, InvitationRound, LetterBatch, Respondent
from lottery.rules import MANAGE_RECRUITMENT

from ..selectors import round_busy, round_contents


def invitation_round_delete(*, round: InvitationRound, by: Actor) -> dict[str, int]:
    """Delete a round with its addresses, invitations (codes) and letter files.

    Django's cascade would load every related row (up to a million addresses)
    into memory first; each table is emptied here by one set-based DELETE.
    People who already registered keep their registration: only their link to
    the invitation is cleared, and their code stops working. Refused while the
    import or the letters are being worked on."""
    authorise(
        by, MANAGE_RECRUITMENT, round.assembly, _("You may not manage the recruitment of this assembly.")
    )
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
        jobs = [pk for pk in (locked.import_job_id, locked.letters_job_id) if pk is not None]
        locked.delete()
        # Its jobs describe a round that is gone (and a queued one would be
        # published again for nothing); nothing else points at them.
        if jobs:
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(jobs))
                cursor.execute(f"DELETE FROM {Job._meta.db_table} WHERE id IN ({marks})", jobs)  # noqa: S608
        storage = InvitationRound._meta.get_field("address_file").storage

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return counts
