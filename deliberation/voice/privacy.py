"""Retention, erasure and a member's copy of their data, for all of deliberation.

Each part of deliberation adds its own models (attendance, questions,
expenses with receipts, concerns, table seats...). Rather than naming them
here, and breaking whenever a part adds one, both the erasure and the export
walk deliberation's models and take every row that points at the member
(a foreign key or one-to-one to ``assemblies.Member``). Files those rows hold
(receipts) are deleted from storage once the transaction commits.

``assemblies`` cannot import deliberation, so the erasure runs through the
registry's ``erasure_hook`` (see ``plugin.register``), called by the lottery's
erasure of a respondent who became a member.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from typing import Any

from django.apps import apps
from django.db import models, transaction

from assemblies.models import Member
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

APP_LABEL = "deliberation"


def member_links() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every deliberation field that points at a member."""
    links: list[tuple[type[models.Model], str]] = []
    for model in apps.get_app_config(APP_LABEL).get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is Member
                and field.concrete
            ):
                links.append((model, field.name))
    return links


def _file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def erase_member_data(member: Member) -> dict[str, int]:
    """Delete every deliberation row about ``member`` (and the files they
    hold); returns the count per model. Call inside the erasure's transaction."""
    counts: dict[str, int] = {}
    stored: list[tuple[Any, str]] = []
    for model, field in member_links():
        rows = model._default_manager.filter(**{field: member})
        for name in _file_fields(model):
            for row in rows.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True}):
                file = getattr(row, name)
                stored.append((file.storage, file.name))
        deleted = rows.delete()[0]
        if deleted:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + deleted
    if stored:
        transaction.on_commit(lambda: _delete_files(stored))
    return counts


def _delete_files(stored: list[tuple[Any, str]]) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("member erasure: could not delete a stored file (%s)", type(storage).__name__)


# --- the member's copy -------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return (value.name or "").rsplit("/", 1)[-1]
    return value


# Internal keys a member has no use for (and which would let someone else use their feeds).
HIDDEN_FIELDS = {"calendar_token", "client_key", "pseudonym", "confirm_token", "confirm_code", "invitation"}


def row_data(row: models.Model) -> dict[str, Any]:
    """A row as plain JSON values: related rows by their name, files by file name."""
    out: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(row, field.name)
            out[field.name] = str(related) if related is not None else None
        else:
            out[field.name] = _plain(getattr(row, field.attname))
    return out


def member_data(member: Member) -> dict[str, Any]:
    """Everything Plenary holds about ``member`` in this assembly: their member
    row, what they gave at registration (details and answers), the emails sent
    to them, and every deliberation row about them, grouped by kind."""
    data: dict[str, Any] = {
        "assembly": member.assembly.title,
        "member": {
            "name shown to other members": member.display_name,
            "email": member.user.email,
            "role": member.get_role_display(),
            "status": member.get_status_display(),
            "joined": member.joined_at.isoformat(),
        },
    }
    respondent = _respondent(member)
    if respondent is not None:
        data["registration"] = row_data(respondent)
        data["registration"]["answers"] = {
            answer.category.name: answer.feature.label
            for answer in respondent.answers.select_related("category", "feature")
        }
    data["emails"] = [
        {
            "to": message.recipient,
            "subject": message.subject,
            "text": message.body_text,
            "queued": _plain(message.created_at),
            "sent": _plain(message.sent_at),
        }
        for message in OutboxMessage.objects.filter(
            assembly=member.assembly, user_id=member.user_id
        ).order_by("created_at", "pk")
    ]
    for model, field in member_links():
        rows = model._default_manager.filter(**{field: member}).order_by("pk")
        key = str(model._meta.verbose_name_plural)
        data.setdefault(key, []).extend(row_data(row) for row in rows)
    return data


def _respondent(member: Member) -> Any:
    try:
        return member.respondent
    except models.ObjectDoesNotExist:
        return None
