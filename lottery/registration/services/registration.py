"""Registration with a code: the public form's write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from lottery.models import PREFER_NOT_TO_SAY, Answer, Category, Invitation, Respondent, RespondentSource
from lottery.rules import MANAGE_RECRUITMENT

from ..notices import notify_registered
from ..selectors import features_by_category
from ..status import registration_status
from .quotas import prefer_not_to_say_feature, recruitment_settings


class CodeAlreadyUsed(ValidationError):
    pass


class RegistrationClosed(ValidationError):
    pass


@transaction.atomic
def respondent_register(
    *, invitation: Invitation, data: Mapping[str, Any], language: str, by: Actor
) -> Respondent:
    """Register the holder of ``invitation``. Locks the invitation row so that
    two submissions of the same code cannot both register; raises
    ``CodeAlreadyUsed`` when it is used, ``ValidationError`` on bad answers.

    The code is the visitor's authority: the public form passes SYSTEM; an
    organiser registering someone needs MANAGE_RECRUITMENT.

    ``data``: first_name, last_name, email, phone, availability, access_needs,
    consent (must be true), answers (category id → feature value).
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("assembly", "address").get(pk=invitation.pk)
    )
    authorise(by, MANAGE_RECRUITMENT, invitation.assembly)
    if invitation.used_at is not None:
        raise CodeAlreadyUsed(_("This code has already been used."), code="used")
    if not data.get("consent"):
        raise ValidationError(_("Consent to the privacy notice is required."), code="consent")
    assembly = invitation.assembly
    settings = recruitment_settings(assembly)
    if not registration_status(assembly, settings).is_open:
        raise RegistrationClosed(_("Registration for this assembly is closed."), code="closed")
    now = timezone.now()
    address = invitation.address
    # One person once in a pool (also a database constraint): the same email
    # on a second code would double their chance of selection.
    if Respondent.objects.filter(assembly=assembly, email__iexact=data["email"]).exists():
        raise ValidationError(
            _(
                "This email address is already registered for this assembly. "
                "Contact the organisers if your details need to change."
            ),
            code="duplicate_email",
        )
    respondent = Respondent.objects.create(
        assembly=assembly,
        invitation=invitation,
        source=RespondentSource.REGISTRATION,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data.get("phone", ""),
        address=str(address)[:300],
        postcode=address.postcode,
        # One per address: the invitation's address is the household.
        household=f"address-{address.pk}",
        language=language,
        availability=list(data.get("availability", [])),
        access_needs=data.get("access_needs", ""),
        access_need_list=list(data.get("access_need_list", [])),
        interpreter_language=data.get("interpreter_language", ""),
        consent_version=settings.privacy_notice_version,
        consented_at=now,
    )
    create_answers(respondent, data.get("answers", {}))
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    notify_registered(respondent, settings)
    audit_record(
        action="respondent.registered",
        by=by,
        assembly=assembly,
        obj=respondent,
        data={"source": RespondentSource.REGISTRATION, "language": language},
    )
    return respondent


def create_answers(respondent: Respondent, answers: Mapping[int, str]) -> None:
    """Save the respondent's answers (category id → feature value); raises
    ValidationError on an unknown question or answer (shared with the pool import)."""
    categories = {c.pk: c for c in Category.objects.filter(assembly=respondent.assembly)}
    features = features_by_category(respondent.assembly)
    rows = []
    for category_id, value in answers.items():
        category = categories.get(int(category_id))
        if category is None:
            raise ValidationError(_("Unknown question."), code="category")
        feature = features.get(category.pk, {}).get(value)
        if value == PREFER_NOT_TO_SAY and category.allow_prefer_not_to_say and feature is None:
            feature = prefer_not_to_say_feature(category)
        if feature is None or (value == PREFER_NOT_TO_SAY and not category.allow_prefer_not_to_say):
            raise ValidationError(_("Unknown answer for “%(q)s”.") % {"q": category.label}, code="answer")
        rows.append(
            Answer(assembly=respondent.assembly, respondent=respondent, category=category, feature=feature)
        )
    Answer.objects.bulk_create(rows)
