"""Recruitment figures on an assembly's dashboard (registered in LotteryConfig.ready)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assemblies.formatting import percent
from assemblies.models import Assembly
from assemblies.registry import Figure, Section

from .models import DrawStatus, Invitation, Respondent, RespondentStatus, RunKind
from .selection.selectors import panel_figures


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
        figures.append(Figure(_("Answered their letter"), percent(people["by_letter"] / invited)))
    links = [
        (_("Quotas against the pool"), reverse("admin:lottery_selectionrun_quotas", args=[assembly.pk])),
        (
            _("Respondents"),
            reverse("admin:lottery_respondent_changelist") + f"?assembly__id__exact={assembly.pk}",
        ),
    ]
    return Section("recruitment", _("Recruitment"), figures, links)


def panel_section(assembly: Assembly) -> Section | None:
    """The panel's figures once it is drawn: the same selector as the selection
    screen, the public pages and the API, so the numbers always agree."""
    panel = panel_figures(assembly)
    if not panel.drawn:
        return None
    figures = [
        Figure(_("Seats"), panel.seats),
        Figure(_("Selected, to confirm"), panel.selected),
        Figure(pgettext("panel figure", "Confirmed"), panel.confirmed),
        Figure(_("Declined"), panel.declined),
        Figure(_("Dropped out"), panel.withdrawn),
        Figure(_("Reserves"), panel.reserves),
        Figure(_("Vacant seats"), panel.vacant),
    ]
    links = [
        (
            _("Confirmations and replacements"),
            reverse("admin:lottery_selectionrun_assembly", args=[assembly.pk]),
        )
    ]
    return Section("panel", _("Panel"), figures, links)


def public_selection_section(assembly: Assembly) -> Section | None:
    """On the public assembly page: the panel's seats and confirmed members
    (the panel selector again) and the link to "How the members were chosen"."""
    runs = list(assembly.selection_runs.values_list("kind", "status", "panel_size"))
    if not runs:
        return None
    url = reverse("lottery:selection_public", kwargs={"slug": assembly.slug})
    drawn = next(
        (size for kind, status, size in runs if kind == RunKind.SELECTION and status == DrawStatus.DRAWN),
        None,
    )
    panel = panel_figures(assembly, drawn=drawn)
    figures = (
        [Figure(_("Seats"), panel.seats), Figure(_("Confirmed members"), panel.confirmed)]
        if panel.drawn
        else []
    )
    return Section(
        "selection", _("How the members were chosen"), figures, [(_("How the members were chosen"), url)]
    )
