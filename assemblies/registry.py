"""The shell other apps plug into: one registry, filled from each app's
``AppConfig.ready()``.

``assemblies`` is the lowest app of the stack, so it must never import the apps
built on it. Instead they tell it what they add to the life of an assembly:

- ``admin_screens``: organiser screens (``assemblies.screens`` classes) mounted
  in the admin under ``/admin/<prefix>``;
- ``urls``: an app's public pages under ``/assemblies/<slug>/``, its site-wide
  public pages (``/register/``) and its portal pages under ``/portal/``;
- ``api``: viewsets on the one router at /api/v1/;
- ``dashboard_section`` / ``dashboard_link``: figures and links on an
  assembly's dashboard;
- ``next_steps``: what an organiser does at a stage, in plain words;
- ``audit_labels``: how the audit log names an app's actions;
- ``portal_link`` and ``public_section``: entries on a member's portal page
  and an assembly's public page;
- ``portal_section``: a titled block on a member's portal page of an assembly
  (e.g. "Your next session"), given the assembly and the member;
- ``stage_guard`` / ``stage_hook``: "cannot leave Deciding while a ballot is
  open" and "when the stage moves, do X" (run after commit);
- ``demo``: an app's part of the demo, loaded in layer order by ``seed_demo``;
- ``erasure_hook``: "when this member's data is erased, erase mine too"
  (called by the lower layer's erasure, which cannot import the app);
- ``team_portal_link``: a portal entry for team members (a facilitator's
  home), shown on the portal home for each assembly where they hold its permission.

Every list keeps registration order, and registering the same thing twice is a
no-op (``ready()`` may run more than once in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.utils.functional import Promise

    from .models import Assembly, Member

    Text = str | Promise
    AnyUser = AbstractBaseUser | AnonymousUser


# --- plain records -------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    label: Any
    value: int | str


@dataclass(frozen=True)
class Section:
    """A titled group of figures (and links) on a dashboard or a public page."""

    key: str  # for the heading's id
    title: Any
    figures: list[Figure]
    links: list[tuple[Any, str]] = field(default_factory=list)  # (label, url)


@dataclass(frozen=True)
class Route:
    """One organiser screen: ``route`` is relative to its group's prefix."""

    route: str
    view: Any  # a Screen subclass (``as_view()`` is called when mounted)
    name: str


@dataclass(frozen=True)
class ScreenGroup:
    prefix: str  # e.g. "lottery/selectionrun/" under /admin/
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class AppUrls:
    """URL modules of one app; each holds a ``urlpatterns`` list."""

    namespace: str
    public: str | None = None  # mounted under assemblies/<slug:slug>/
    site: str | None = None  # mounted at the site root (e.g. register/)
    portal: str | None = None  # mounted under portal/, namespace "portal"


@dataclass(frozen=True)
class ApiEndpoint:
    """A DRF viewset mounted on the one router at /api/v1/<prefix>/."""

    prefix: str
    viewset: Any
    basename: str


@dataclass(frozen=True)
class DashboardLink:
    label: Any
    url: Callable[[Assembly], str]
    permission: str
    order: int = 100


@dataclass(frozen=True)
class PortalLink:
    label: Any
    url: Callable[[Assembly], str]
    visible: Callable[[Assembly, Member], bool] = lambda assembly, member: True
    order: int = 100


@dataclass(frozen=True)
class DemoPart:
    """A part of the demo: ``load()`` is idempotent and returns lines for the
    console (e.g. a login), printed by ``seed_demo``."""

    app: str
    load: Callable[[], list[str]]
    order: int


@dataclass(frozen=True)
class TeamPortalLink:
    """A portal page for team members (not Members), per assembly where the
    user holds ``permission``: e.g. a facilitator's phone screens."""

    label: Any
    url: Callable[[Assembly], str]
    permission: str
    order: int = 100


ErasureHook = Callable[["Member"], None]  # erase an app's rows about this member

StageGuard = Callable[["Assembly", str], "Text | None"]  # a reason to refuse, or None
StageHook = Callable[["Assembly", str, str, Any], None]  # assembly, from, to, by


class Registry:
    def __init__(self) -> None:
        self.screen_groups: list[ScreenGroup] = []
        self.app_urls: list[AppUrls] = []
        self.api_endpoints: list[ApiEndpoint] = []
        self.dashboard_sections: list[Callable[[Assembly], Section | None]] = []
        self.dashboard_links: list[DashboardLink] = []
        self.next_step_texts: dict[str, list[Any]] = {}
        self.audit_action_labels: dict[str, Any] = {}
        self.portal_links: list[PortalLink] = []
        self.public_sections: list[Callable[[Assembly], Section | None]] = []
        self.portal_sections: list[Callable[[Assembly, Member], Section | None]] = []
        self.stage_guards: list[StageGuard] = []
        self.stage_hooks: list[StageHook] = []
        self.demo_parts: list[DemoPart] = []
        self.erasure_hooks: list[ErasureHook] = []
        self.team_portal_links: list[TeamPortalLink] = []

    # --- registration (from AppConfig.ready) ------------------------------------
    def admin_screens(self, prefix: str, routes: Iterable[Route]) -> None:
        group = ScreenGroup(prefix, tuple(routes))
        if all(g.prefix != prefix for g in self.screen_groups):
            self.screen_groups.append(group)

    def urls(self, urls: AppUrls) -> None:
        if all(u.namespace != urls.namespace for u in self.app_urls):
            self.app_urls.append(urls)

    def api(self, endpoint: ApiEndpoint) -> None:
        if all(e.basename != endpoint.basename for e in self.api_endpoints):
            self.api_endpoints.append(endpoint)

    def dashboard_section(self, function: Callable[[Assembly], Section | None]) -> None:
        _add_once(self.dashboard_sections, function)

    def dashboard_link(self, link: DashboardLink) -> None:
        _add_once(self.dashboard_links, link)
        self.dashboard_links.sort(key=lambda item: item.order)

    def next_steps(self, texts: dict[str, Any]) -> None:
        for stage, text in texts.items():
            _add_once(self.next_step_texts.setdefault(str(stage), []), text)

    def audit_labels(self, labels: dict[str, Any]) -> None:
        self.audit_action_labels.update(labels)

    def portal_link(self, link: PortalLink) -> None:
        _add_once(self.portal_links, link)
        self.portal_links.sort(key=lambda item: item.order)

    def public_section(self, function: Callable[[Assembly], Section | None]) -> None:
        _add_once(self.public_sections, function)

    def portal_section(self, function: Callable[[Assembly, Member], Section | None]) -> None:
        _add_once(self.portal_sections, function)

    def stage_guard(self, guard: StageGuard) -> None:
        _add_once(self.stage_guards, guard)

    def stage_hook(self, hook: StageHook) -> None:
        _add_once(self.stage_hooks, hook)

    def demo(self, part: DemoPart) -> None:
        if all(p.app != part.app for p in self.demo_parts):
            self.demo_parts.append(part)
            self.demo_parts.sort(key=lambda item: item.order)

    def erasure_hook(self, hook: ErasureHook) -> None:
        _add_once(self.erasure_hooks, hook)

    def team_portal_link(self, link: TeamPortalLink) -> None:
        _add_once(self.team_portal_links, link)
        self.team_portal_links.sort(key=lambda item: item.order)

    # --- reading ----------------------------------------------------------------------
    def sections_for(self, assembly: Assembly) -> list[Section]:
        return [s for function in self.dashboard_sections if (s := function(assembly)) is not None]

    def links_for(self, assembly: Assembly, user: AnyUser) -> list[tuple[Any, str]]:
        return [
            (link.label, link.url(assembly))
            for link in self.dashboard_links
            if user.has_perm(link.permission, assembly)  # type: ignore[union-attr]
        ]

    def next_steps_for(self, stage: str) -> list[Any]:
        return list(self.next_step_texts.get(str(stage), []))

    def public_sections_for(self, assembly: Assembly) -> list[Section]:
        return [s for function in self.public_sections if (s := function(assembly)) is not None]

    def portal_sections_for(self, assembly: Assembly, member: Member) -> list[Section]:
        return [s for function in self.portal_sections if (s := function(assembly, member)) is not None]

    def portal_links_for(self, assembly: Assembly, member: Member) -> list[tuple[Any, str]]:
        return [
            (link.label, link.url(assembly)) for link in self.portal_links if link.visible(assembly, member)
        ]

    def erase_member(self, member: Member) -> None:
        """Run every app's erasure of what it holds about ``member``; call it
        inside the transaction of the erasure, before the member row goes."""
        for hook in self.erasure_hooks:
            hook(member)

    def url_patterns(self) -> list[Any]:
        """Every app's public, site-wide and portal URLs, for ``config/urls.py``.

        Each app keeps its own namespace (``lottery:selection_public``); the
        portal is one namespace shared by every app (``portal:…``), so its
        route names carry the app's name where they could clash."""
        from importlib import import_module

        from django.urls import include, path

        def patterns(module: str | None) -> list[Any]:
            return list(import_module(module).urlpatterns) if module else []

        public: list[Any] = []
        portal: list[Any] = []
        for urls in self.app_urls:
            routes = patterns(urls.site)
            if urls.public:
                routes.append(path("assemblies/<slug:slug>/", include(patterns(urls.public))))
            if routes:
                public.append(path("", include((routes, urls.namespace))))
            portal += patterns(urls.portal)
        return [*public, path("portal/", include((portal, "portal")))]

    def refusals(self, assembly: Assembly, to_stage: str) -> list[Any]:
        return [reason for guard in self.stage_guards if (reason := guard(assembly, to_stage))]


def _add_once(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


registry = Registry()
