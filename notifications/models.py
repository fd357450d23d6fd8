"""The outbox: one row per email, written in the transaction that caused it.

A row is the single source of truth for a message's life (queued → sending →
sent, or failed/bounced). Celery tasks only carry the row's id, so a lost or
duplicated task never loses or doubles an email: see ``notifications.tasks``.
"""

from __future__ import annotations

import uuid
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_message_id() -> str:
    """A globally unique RFC 5322 Message-ID, fixed when the row is created.

    Every delivery attempt of the row carries it, so a message delivered twice
    (a worker killed between sending and recording it) can be de-duplicated by
    the receiving side, and provider webhooks can be matched back to the row.
    """
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "plenary.localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")


#: Statuses a task never sends again.
FINAL_STATUSES = frozenset({OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.BOUNCED})


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def sent(self) -> OutboxMessageQuerySet:
        return self.filter(status=OutboxStatus.SENT)

    def for_assemblies(self, assemblies: models.QuerySet[Any]) -> OutboxMessageQuerySet:
        return self.filter(assembly__in=assemblies)


class OutboxMessage(models.Model):
    assembly = models.ForeignKey(
        "assemblies.Assembly",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("assembly"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, default="en")
    template = models.CharField(
        _("template"),
        max_length=200,
        blank=True,
        help_text=_("Folder under templates/notifications/, or the name of a pre-rendered email."),
    )
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("Error class and code; never personal data.")
    )
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=new_message_id, editable=False
    )
    provider_message_id = models.CharField(
        _("provider's message id"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("The id an email provider gave the message, used to match its bounce reports."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            # The requeue job's scan: queued/sending rows by due time.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
            models.Index(fields=["assembly", "-created_at"], name="outbox_assembly_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.template} → {self.recipient}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES
