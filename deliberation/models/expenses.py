"""Members' expenses and stipends: what they claim (with a receipt), what the
organisers approve and pay, per member and, where it belongs to one, per session."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member

from .sessions import Session


class ExpenseKind(models.TextChoices):
    STIPEND = "stipend", _("Stipend")
    TRAVEL = "travel", _("Travel")
    CHILDCARE = "childcare", _("Childcare")
    CARE = "care", _("Care for someone")
    OTHER = "other", _("Other")


class ExpenseStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, waiting for a decision")
    APPROVED = "approved", _("Approved, to be paid")
    REJECTED = "rejected", _("Not approved")
    PAID = "paid", _("Paid")


class Expense(models.Model):
    """One amount owed to a member: a stipend for a session they attended, or
    an expense they claimed (travel, childcare, care) with its receipt. The
    receipt lives in private storage and is served only to the member and to
    those who manage stipends."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="expenses")
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExpenseKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(_("what it was for"), max_length=300, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="deliberation/receipts/", blank=True)
    receipt_type = models.CharField(max_length=100, blank=True, editable=False)  # checked at upload
    status = models.CharField(
        _("status"), max_length=20, choices=ExpenseStatus.choices, default=ExpenseStatus.CLAIMED
    )
    rejection_reason = models.TextField(_("why it was not approved"), blank=True)
    created_at = models.DateTimeField(_("claimed on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["assembly", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            # One stipend per member and session: generating stipends twice adds none.
            models.UniqueConstraint(
                fields=["member", "session"],
                condition=Q(kind="stipend"),
                name="one_stipend_per_member_and_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.member_id})"
