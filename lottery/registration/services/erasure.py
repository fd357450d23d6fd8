"""Erasure: one respondent at their request, and everyone not selected once
the panel has been final for the retention period (the beat job).

Personal data never reaches logs or audit events: respondents appear there
by pseudonym (``str(respondent)``) and counts only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member
from assemblies.registry import registry
from assemblies.rules import SEE_PERSONAL_DATA
from lottery.models import (
    Address,
    InvitationRound,
    LetterBatch,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
)
from notifications.models import OutboxMessage

from ..selectors import outbox_of

logger = logging.getLogger(__name__)

#: Who is erased once the panel is final: everyone not on it.
UNSELECTED_STATUSES = (
    RespondentStatus.REGISTERED,
    RespondentStatus.RESERVE,
    RespondentStatus.DECLINED,
    RespondentStatus.WITHDRAWN,
)


@transaction.atomic
def respondent_erase(*, respondent: Respondent, by: Actor) -> None:
    """Erase one respondent now, at their request: their row (answers
    cascade), the emails sent to them and the address their letter went to
    (the invitation goes with it, so the code no longer exists)."""
    authorise(
        by, SEE_PERSONAL_DATA, respondent.assembly, _("You may not erase respondents of this assembly.")
    )
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    assembly = respondent.assembly
    pseudonym = str(respondent)
    outbox_of(respondent).delete()
    if respondent.member_id is not None:
        # What later apps hold about them as a member (attendance, expenses, concerns...).
        registry.erase_member(Member.objects.get(pk=respondent.member_id))
    invitation = respondent.invitation
    address_id = invitation.address_id if invitation is not None else None
    respondent.delete()
    if address_id is not None:
        Address.objects.filter(pk=address_id).delete()
    audit_record(action="respondent.erased", by=by, assembly=assembly, object_repr=pseudonym)


@dataclass
class ErasureReport:
    respondents: int = 0
    emails: int = 0
    addresses: int = 0
    files: int = 0
    skipped: bool = False


@transaction.atomic
def erase_unselected(*, assembly: Assembly, by: Actor) -> ErasureReport:
    """Once the panel is final: erase everyone not on it, and stage 1's
    address files, addresses and letters, which nobody needs any more.

    Idempotent: the settings row is locked and marked; a second call skips.
    The beat job passes SYSTEM; a user needs SEE_PERSONAL_DATA.
    """
    authorise(by, SEE_PERSONAL_DATA, assembly, _("You may not erase respondents of this assembly."))
    settings = RecruitmentSettings.objects.select_for_update().get(assembly=assembly)
    report = ErasureReport()
    if settings.unselected_erased_at is not None:
        report.skipped = True
        return report
    unselected = Respondent.objects.filter(assembly=assembly, status__in=UNSELECTED_STATUSES)
    emails = {e.lower() for e in unselected.exclude(email="").values_list("email", flat=True)}
    kept = {
        e.lower()
        for e in Respondent.objects.filter(assembly=assembly)
        .exclude(status__in=UNSELECTED_STATUSES)
        .values_list("email", flat=True)
    }
    # An email shared with someone on the panel (a family address) stays: it is theirs too.
    emails -= kept
    outbox_ids = [
        pk
        for pk, recipient in OutboxMessage.objects.filter(assembly=assembly).values_list("pk", "recipient")
        if recipient.lower() in emails
    ]
    report.emails = OutboxMessage.objects.filter(pk__in=outbox_ids).delete()[0]
    report.respondents = unselected.count()
    for member in Member.objects.filter(respondent__in=unselected):
        registry.erase_member(member)
    unselected.delete()

    files: list[Any] = []
    for round_ in InvitationRound.objects.filter(assembly=assembly):
        if round_.address_file:
            files.append(round_.address_file)
    for batch in LetterBatch.objects.filter(assembly=assembly).exclude(Q(pdf="") | Q(pdf__isnull=True)):
        files.append(batch.pdf)
    InvitationRound.objects.filter(assembly=assembly).update(address_file="", import_errors=[])
    LetterBatch.objects.filter(assembly=assembly).update(pdf="")
    report.addresses = Address.objects.filter(assembly=assembly).count()
    Address.objects.filter(assembly=assembly).delete()
    report.files = len(files)
    # Delete the files only once the rows no longer point at them.
    names = [(f.storage, f.name) for f in files]
    transaction.on_commit(lambda: _delete_files(names))

    settings.unselected_erased_at = timezone.now()
    settings.save(update_fields=["unselected_erased_at"])
    audit_record(
        action="recruitment.unselected_erased",
        by=by,
        assembly=assembly,
        data={"respondents": report.respondents, "emails": report.emails, "addresses": report.addresses},
    )
    return report


def _delete_files(names: list[tuple[Any, str]]) -> None:
    for storage, name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("erasure: could not delete a stored file (%s)", type(storage).__name__)
