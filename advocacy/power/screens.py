"""Organisers' screens of the power-literacy part (mounted under
/admin/advocacy/… by ``advocacy.power.plugin``): the power map with the
internal notes, and the insider/outsider pressure per recommendation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from advocacy.models import Stakeholder, Tactic
from advocacy.rules import MANAGE_ADVOCACY, VIEW_ADVOCACY
from assemblies.registry import Route
from assemblies.screens import AssemblyScreen

from . import selectors
from .forms import MapFilterForm


class PowerMapScreen(AssemblyScreen):
    permission = VIEW_ADVOCACY
    template_name = "advocacy/power/admin/map.html"
    opts_model = Stakeholder

    def get_subtitle(self) -> Any:
        return _("Power map")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = MapFilterForm(request.GET or None, assembly=self.assembly)
        recommendation = form.cleaned_data["recommendation"] if form.is_valid() else None
        return self.render(
            form=form,
            map=selectors.power_map(self.assembly, recommendation=recommendation, internal=True),
            can_manage=self.may(MANAGE_ADVOCACY),
        )


class PressureScreen(AssemblyScreen):
    permission = VIEW_ADVOCACY
    template_name = "advocacy/power/admin/pressure.html"
    opts_model = Tactic

    def get_subtitle(self) -> Any:
        return _("Insider and outsider pressure")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = selectors.pressure_table(self.assembly)
        return self.render(
            rows=rows,
            warnings=[r for r in rows if r.pressure.flag != selectors.BOTH],
            tactics=selectors.tactics_list(self.assembly),
            can_manage=self.may(MANAGE_ADVOCACY),
        )


STAKEHOLDER_ROUTES = [Route("assembly/<int:pk>/map/", PowerMapScreen, "advocacy_stakeholder_map")]
TACTIC_ROUTES = [Route("assembly/<int:pk>/pressure/", PressureScreen, "advocacy_tactic_pressure")]
