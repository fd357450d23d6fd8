"""Recruitment figures on an assembly's dashboard (registered in LotteryConfig.ready)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from assemblies.models import Assembly
from assemblies.registry import Figure, Section

from .models import Invitation, Respondent, RespondentStatus


def recruitment_section(assembly: Assembly) -> Section | None:
    """Letters sent, registrations and who waits to be drawn; None before any."""
    invited = Invitation.objects.filter(assembly=assembly).count()
    people = Respondent.objects.filter(assembly=assembly).aggregate(
        registered=Count("id"),
        waiting=Count("id", filter=Q(status=RespondentStatus.REGISTERED)),
        by_letter=Count("id", filter=Q(invitation__isnull=False)),
    )
    if not invited and not people["registered"]:
        return None
    figures = [
        Figure(_("Letters sent"), invited),
        Figure(_("Registered"), people["registered"]),
        Figure(_("Waiting to be drawn"), people["waiting"]),
    ]
    if invited:
        rate = 100 * people["by_letter"] / invited
        figures.append(Figure(_("Answered their letter"), f"{rate:.1f} %"))
    links = [
        (_("Quotas against the pool"), reverse("admin:lottery_selectionrun_quotas", args=[assembly.pk])),
        (
            _("Respondents"),
            reverse("admin:lottery_respondent_changelist") + f"?assembly__id__exact={assembly.pk}",
        ),
    ]
    return Section("recruitment", _("Recruitment"), figures, links)
