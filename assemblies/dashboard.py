"""An assembly's dashboard and its stage moves: the organisers' home for one
assembly. What other apps add (figures, links, next steps) comes from the
registry, so this module never names them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .confirm import ConfirmActionMixin, Confirmation
from .models import Assembly, Role, Stage
from .registry import Route, Section, registry
from .rules import CHANGE_STAGE, VIEW_AUDIT
from .screens import AssemblyScreen, Screen


class DashboardScreen(AssemblyScreen):
    template_name = "admin/assemblies/assembly/dashboard.html"
    opts_model = Assembly

    def get_subtitle(self) -> Any:
        return _("Dashboard")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assembly = self.assembly
        return self.render(
            counts=selectors.dashboard_counts(assembly),
            sections=[self._openable(section) for section in registry.sections_for(assembly)],
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

    def _openable(self, section: Section) -> Section:
        """The section without the links to screens this user would be
        refused (a facilitator sees attendance, not the expenses screen)."""
        links = [(label, url) for label, url in section.links if self._may_open(url)]
        return section if len(links) == len(section.links) else replace(section, links=links)

    def _may_open(self, url: str) -> bool:
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return True
        view_class = getattr(match.func, "view_class", None)
        if not (isinstance(view_class, type) and issubclass(view_class, Screen)):
            return True
        return self.may(view_class.permission)

    def _allowed_stages(self) -> list[tuple[str, Any, bool]]:
        current = Stage.values.index(self.assembly.stage)
        return [
            (stage, Stage(stage).label, Stage.values.index(stage) < current)
            for stage in services.allowed_stages(self.assembly)
        ]


class TransitionScreen(ConfirmActionMixin, AssemblyScreen):
    """A stage move: GET ``?to=<stage>`` says what it does (who is emailed,
    whether there is a way back), the confirmed POST moves."""

    def target(self) -> str:
        return str(self.request.POST.get("to") or self.request.GET.get("to", ""))

    def confirmation_url(self) -> str:
        return f"{self.request.path}?{urlencode({'to': self.target()})}"

    def confirmation(self) -> Confirmation:
        assembly, to = self.assembly, self.target()
        if to not in Stage.values:
            return Confirmation(_("Change the stage"), refusals=[_("Choose a stage from the dashboard.")])
        here, there = Stage(assembly.stage).label, Stage(to).label
        backwards = Stage.values.index(to) < Stage.values.index(assembly.stage)
        question = (_("Go back to “%(stage)s”?") if backwards else _("Move to “%(stage)s”?")) % {
            "stage": there
        }
        try:
            services.check_assembly_transition(assembly=assembly, to_stage=to, by=self.request.user)
        except (PermissionDenied, ValidationError) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            return Confirmation(question, refusals=reasons)
        consequences = [_("The assembly goes from “%(from)s” to “%(to)s”.") % {"from": here, "to": there}]
        consequences += self._emails(to)
        consequences += self._visibility(to)
        consequences += (
            [_("Next: %(steps)s") % {"steps": " ".join(map(str, steps))}]
            if (steps := registry.next_steps_for(to))
            else []
        )
        warnings: list[Any] = []
        final: list[Any] = []
        tick: Any = ""
        if to == Stage.CLOSED:
            final.append(_("Closed is the last stage: a closed assembly cannot be reopened."))
            tick = _("I understand that a closed assembly cannot be reopened.")
            if assembly.stage == Stage.PUBLISHED:
                warnings.append(
                    _(
                        "This skips Follow-up: the government's response to each recommendation "
                        "and what is implemented will not be tracked."
                    )
                )
        elif assembly.stage not in services.allowed_stages(Assembly(stage=to, kind=assembly.kind)):
            final.append(_("There is no way back from “%(to)s” to “%(from)s”.") % {"from": here, "to": there})
        if to in services.MEMBER_NOTICE_STAGES and selectors.stage_notice_count(assembly):
            final.append(_("Emails cannot be recalled once sent."))
        return Confirmation(
            question,
            consequences=consequences,
            warnings=warnings,
            final=" ".join(map(str, final)),
            button=(_("Go back to “%(stage)s”") if backwards else _("Move to “%(stage)s”"))
            % {"stage": there},
            tick=tick,
            hidden={"to": to},
        )

    def _emails(self, to: str) -> list[Any]:
        if to not in services.MEMBER_NOTICE_STAGES:
            return [_("Nobody is emailed.")]
        n = selectors.stage_notice_count(self.assembly)
        if not n:
            return [_("Nobody is emailed: no member has confirmed their seat yet.")]
        return [
            ngettext(
                "%(n)s confirmed member is emailed that the assembly is now at this stage.",
                "%(n)s confirmed members are emailed that the assembly is now at this stage.",
                n,
            )
            % {"n": n}
        ]

    def _visibility(self, to: str) -> list[Any]:
        if not self.assembly.is_public:
            return []
        if self.assembly.stage == Stage.DRAFT:
            return [_("The assembly appears on the public site.")]
        if to == Stage.DRAFT:
            return [_("The assembly disappears from the public site until it leaves Draft again.")]
        return []

    def act(self) -> Any:
        try:
            services.assembly_transition(assembly=self.assembly, to_stage=self.target(), by=self.request.user)
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
