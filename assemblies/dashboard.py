"""An assembly's dashboard and its stage moves: the organisers' home for one
assembly. What other apps add (figures, links, next steps) comes from the
registry, so this module never names them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import Assembly, Role, Stage
from .registry import Route, registry
from .rules import CHANGE_STAGE, VIEW_AUDIT
from .screens import ActionMixin, AssemblyScreen


class DashboardScreen(AssemblyScreen):
    template_name = "admin/assemblies/assembly/dashboard.html"
    opts_model = Assembly

    def get_subtitle(self) -> Any:
        return _("Dashboard")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assembly = self.assembly
        return self.render(
            counts=selectors.dashboard_counts(assembly),
            sections=registry.sections_for(assembly),
            links=registry.links_for(assembly, request.user),
            next_steps=registry.next_steps_for(assembly.stage),
            stages=Stage.choices,
            allowed_stages=self._allowed_stages() if self.may(CHANGE_STAGE) else [],
            recent_events=(
                assembly.audit_events.select_related("actor")[:10] if self.may(VIEW_AUDIT) else None
            ),
            role=Role(role).label
            if (role := selectors.organiser_role(request.user, assembly))
            else _("Superuser"),
        )

    def _allowed_stages(self) -> list[tuple[str, Any, bool]]:
        current = Stage.values.index(self.assembly.stage)
        return [
            (stage, Stage(stage).label, Stage.values.index(stage) < current)
            for stage in services.allowed_stages(self.assembly)
        ]


class TransitionScreen(ActionMixin, AssemblyScreen):
    def act(self) -> Any:
        try:
            services.assembly_transition(
                assembly=self.assembly, to_stage=self.request.POST.get("to", ""), by=self.request.user
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc) or _("You may not change this assembly's stage.")) from exc
        return _("The assembly is now at the stage “%(stage)s”.") % {
            "stage": self.assembly.get_stage_display()
        }

    def redirect_url(self) -> str:
        return reverse("admin:assemblies_assembly_dashboard", args=[self.assembly.pk])


ROUTES = [
    Route("<int:pk>/dashboard/", DashboardScreen, "assemblies_assembly_dashboard"),
    Route("<int:pk>/transition/", TransitionScreen, "assemblies_assembly_transition"),
]
