"""The outbox in the admin (registered here, since notifications sits below
assemblies and cannot know tenants): read-only, scoped to the assemblies where the user
may see personal data (owners and organisers: addresses and bodies are
respondents' contact details).

Rows without an assembly (login codes and other account emails) are visible
to superusers only, since the tenant filter cannot place them. Links and codes
that act on the recipient's behalf are masked for everyone, superusers too:
whoever reads a confirm link could accept or decline a seat in someone's name.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import requeue

from .admin_base import TenantModelAdmin
from .rules import SEE_PERSONAL_DATA
from .selectors import assemblies_where

HIDDEN = "[hidden]"
# What acts on someone's behalf, in a rendered email:
_SECRETS = [
    # the segment after a path step that introduces a token: /confirm/<token>/,
    # /decline/<token>/, allauth's /key/<key>/ and /confirm-email/<key>/
    re.compile(r"(/(?:confirm|decline|key|token|code|confirm-email)/)[^/\s\"'<>?#]+"),
    # ?code=… (registration letters' QR links), ?token=…, ?key=…
    re.compile(r"([?&](?:code|token|key)=)[^&\s\"'<>#]+"),
    # login and registration codes as typed: ABCD-EF12, or 8 letters and digits mixed
    re.compile(r"()\b[A-Z0-9]{4}-[A-Z0-9]{4}\b"),
    re.compile(r"()\b(?=[A-Z]*[0-9])(?=[0-9]*[A-Z])[A-Z0-9]{8}\b"),
    # any other long random-looking token (letters and digits mixed, 20+ characters)
    re.compile(r"()(?<![\w-])(?=[\w-]*[0-9])(?=[\w-]*[A-Za-z])[\w-]{20,}(?![\w-])"),
]


def mask_secrets(text: str) -> str:
    """``text`` with every confirm/decline token, login code, registration
    code and key replaced by HIDDEN; the rest of the message stays readable."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda match: match[1] + HIDDEN, text)
    return text


# Not the context: the rendered body is what matters and is what left. The
# bodies are shown masked (see mask_secrets), never as stored.
FIELDS = (
    "assembly",
    "user_shown",
    "recipient",
    "language",
    "template",
    "subject_shown",
    "body_text_shown",
    "body_html_shown",
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
        "subject_shown",
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
    view_perm = SEE_PERSONAL_DATA

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        # Not every assembly the user has a role in: only those where they may
        # see personal data (a viewer elsewhere reads nothing there).
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(assembly__in=assemblies_where(request.user, SEE_PERSONAL_DATA).values("pk"))

    @admin.display(description=_("user"))
    def user_shown(self, obj: OutboxMessage) -> str:
        # As text: the admin's own link goes to the user admin, which only
        # superusers have (an organiser followed it to a 404).
        return str(obj.user) if obj.user_id else "-"

    @admin.display(description=_("subject"), ordering="subject")
    def subject_shown(self, obj: OutboxMessage) -> str:
        return mask_secrets(obj.subject)

    @admin.display(description=_("text"))
    def body_text_shown(self, obj: OutboxMessage) -> str:
        return mask_secrets(obj.body_text)

    @admin.display(description=_("HTML"))
    def body_html_shown(self, obj: OutboxMessage) -> str:
        # Shown as source (escaped), so that no link in it can be followed.
        return mask_secrets(obj.body_html)

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
