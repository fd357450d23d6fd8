"""Minority statements: added by a member in their own name, withdrawn before publication."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import SYSTEM, Actor, authorise
from assemblies.audit import audit_record
from assemblies.models import Member

from ...models import MinorityStatement, Recommendation, RecommendationStatus
from ...rules import MODERATE, TAKE_PART
from .common import STATEMENT_STAGES


# --- minority statements -------------------------------------------------------------
@transaction.atomic
def minority_statement_add(
    *, recommendation: Recommendation, member: Member, text: str, signed_as: str, by: Actor
) -> MinorityStatement:
    assembly = recommendation.assembly
    authorise(by, TAKE_PART, assembly)
    if member.assembly_id != assembly.pk or (by is not SYSTEM and getattr(by, "pk", None) != member.user_id):
        raise ValidationError(_("You can only write a statement in your own name."))
    if assembly.stage not in STATEMENT_STAGES:
        raise ValidationError(
            _("Minority statements can be added only before the recommendations are published.")
        )
    if recommendation.status in (RecommendationStatus.WITHDRAWN,):
        raise ValidationError(_("This recommendation was withdrawn."))
    text, signed_as = text.strip(), signed_as.strip()
    if not text:
        raise ValidationError({"text": _("Write the statement.")})
    statement = MinorityStatement.objects.create(
        recommendation=recommendation, author=member, text=text, signed_as=signed_as
    )
    audit_record(action="recommendations.minority_statement_added", by=by, assembly=assembly, obj=statement)
    return statement


@transaction.atomic
def minority_statement_withdraw(*, statement: MinorityStatement, by: Actor) -> None:
    assembly = statement.recommendation.assembly
    author_user = statement.author.user_id if statement.author else None
    if by is not SYSTEM and getattr(by, "pk", None) != author_user:
        authorise(by, MODERATE, assembly, _("Only its author or a facilitator can withdraw a statement."))
    if assembly.stage not in STATEMENT_STAGES and by is not SYSTEM:
        raise ValidationError(_("The statement is published with the recommendation and stays."))
    statement.withdrawn_at = timezone.now()
    statement.save(update_fields=["withdrawn_at"])
    audit_record(
        action="recommendations.minority_statement_withdrawn", by=by, assembly=assembly, obj=statement
    )
