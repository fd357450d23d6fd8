"""Members' questions to speakers, sent from the portal before or during a
session; facilitators merge duplicates, choose the order and mark them answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .sessions import AgendaItem, Session, Speaker


class QuestionStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CHOSEN = "chosen", _("Chosen to be asked")
    ANSWERED = "answered", _("Answered")
    HIDDEN = "hidden", _("Not asked")


class Question(models.Model):
    """One member's question. A duplicate is merged into the one kept
    (``merged_into``): it keeps its author and text, and counts as one more
    member asking the kept question."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="questions", verbose_name=_("session")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("agenda item"),
    )
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("speaker"),
    )
    member = models.ForeignKey(
        "assemblies.Member",
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("member"),
    )
    text = models.TextField(_("question"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.WAITING
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # Sent by the member's browser with the form: a second press, or a form
    # sent again after a lost connection, finds the question already there.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["session", "order", "created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "client_key"],
                condition=~Q(client_key=""),
                name="question_once_per_client_key",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("id")),
                name="question_not_merged_into_itself",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "order"])]

    def __str__(self) -> str:
        return self.text[:80]
