"""Audit events: who did what, masked so that no personal data is kept in clear."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Assembly, AuditEvent

# How the audit log names assemblies' own actions (other apps register theirs).
AUDIT_ACTION_LABELS = {
    "assembly.stage_changed": _("Stage changed"),
    "admin.added": _("Added"),
    "admin.changed": _("Changed"),
    "admin.deleted": _("Deleted"),
}

# Keys whose values are personal data: kept only masked.
SENSITIVE_KEYS = frozenset(
    {
        "email", "recipient", "name", "first_name", "last_name", "display_name", "phone",
        "address", "postcode", "date_of_birth", "ip", "code", "password", "token",
    }
)  # fmt: skip


def mask(value: Any) -> str:
    """Keep just enough to tell two values apart in a log: 'j***@e***.org'."""
    text = str(value)
    if "@" in text:
        local, _, domain = text.partition("@")
        head, dot, tld = domain.rpartition(".")
        return f"{local[:1]}***@{(head or tld)[:1]}***{dot}{tld if head else ''}"
    if len(text) <= 2:
        return "***"
    return f"{text[:1]}***"


def masked(data: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if isinstance(value, Mapping):
            out[key] = masked(value)
        elif key.lower() in SENSITIVE_KEYS and value not in (None, ""):
            out[key] = mask(value)
        else:
            out[key] = value
    return out


def audit_record(
    *,
    action: str,
    by: AbstractBaseUser | AnonymousUser | None,
    assembly: Assembly | None,
    obj: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Write an audit event. Call it inside the transaction of the change."""
    actor = by if by is not None and by.is_authenticated else None
    return AuditEvent.objects.create(
        assembly=assembly,
        actor=actor,  # type: ignore[misc]
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        data=masked(data),
    )
