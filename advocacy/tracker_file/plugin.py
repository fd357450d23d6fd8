"""The tracker file's screens and dashboard link (called from advocacy.plugin)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.registry import DashboardLink, registry


def register() -> None:
    from advocacy.rules import VIEW_ADVOCACY

    from .screens import ROUTES

    registry.admin_screens("advocacy/tracker-file/", ROUTES)  # → /admin/advocacy/tracker-file/…
    registry.dashboard_link(
        DashboardLink(
            _("Tracker file"),
            lambda a: reverse("admin:advocacy_tracker_file", args=[a.pk]),
            VIEW_ADVOCACY,
            order=80,
        )
    )
