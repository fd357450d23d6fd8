"""The outbox in the admin: read-only, scoped to the organiser's assemblies.

Rows without an assembly (login codes and other account emails) are visible
to superusers only, since the tenant filter cannot place them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies.admin_base import TenantModelAdmin
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import requeue

# Not the context: the rendered body is what matters and is what left.
FIELDS = (
    "assembly",
    "user",
    "recipient",
    "language",
    "template",
    "subject",
    "body_text",
    "body_html",
    "status",
    "attempts",
    "last_error",
    "message_id",
    "provider_message_id",
    "created_at",
    "claimed_at",
    "sent_at",
    "next_attempt_at",
)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(TenantModelAdmin):
    assembly_path = "assembly"
    list_display = [
        "created_at",
        "recipient",
        "subject",
        "template",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "language", "template"]
    search_fields = ["recipient", "subject", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["assembly"]
    actions = ["retry_messages"]
    fields = FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(FIELDS)

    # The outbox is a record of what left: nobody adds, edits or deletes rows
    # by hand (erasure goes through the personal-data service).
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The retry action changes rows, so it needs the manage permission that
        # has_change_permission (always False here) would otherwise express.
        actions = super().get_actions(request)
        if not (request.user.is_superuser or self._can_manage_any(request)):
            actions.pop("retry_messages", None)
        return actions

    def _can_manage_any(self, request: HttpRequest) -> bool:
        return super().has_change_permission(request)

    @admin.action(description=_("Send the selected failed or bounced emails again"))
    def retry_messages(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        retried = 0
        for message in queryset.filter(status__in=[OutboxStatus.FAILED, OutboxStatus.BOUNCED]):
            if request.user.is_superuser or super().has_change_permission(request, message):
                requeue(message)
                retried += 1
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", retried)
            % {"count": retried},
            messages.SUCCESS,
        )
