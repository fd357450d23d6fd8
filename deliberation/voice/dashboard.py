"""Members' voice on an assembly's dashboard: concerns waiting for an answer
and announcements sent (counts only: no names, no text)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly
from assemblies.registry import Figure, Section

from ..models import Announcement, Concern, ConcernStatus


def voice_section(assembly: Assembly) -> Section | None:
    """None until a member raised a concern or an announcement was sent."""
    concerns = Concern.objects.filter(assembly=assembly).aggregate(
        total=Count("id"), open=Count("id", filter=Q(status=ConcernStatus.OPEN))
    )
    sent = Announcement.objects.filter(assembly=assembly).count()
    if not concerns["total"] and not sent:
        return None
    return Section(
        "voice",
        _("Members' voice"),
        [
            Figure(_("Concerns not yet read"), concerns["open"]),
            Figure(_("Concerns raised"), concerns["total"]),
            Figure(_("Announcements sent"), sent),
        ],
    )
