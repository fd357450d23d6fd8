"""Organiser screens: one class-based base for every custom page in the admin.

A screen resolves what it works on *before* anything else, so that tenancy
always answers first: an assembly or object outside the user's assemblies is a
404 (whatever the method), one inside them without ``permission`` is a 403, and
only then a wrong method is a 405. It supplies the admin's context (site
header, breadcrumbs) and turns a service's ``ValidationError`` into a message.

Four shapes cover the screens we have:

- ``AssemblyScreen``: ``/…/<int:pk>/…`` is an assembly (``self.assembly``);
- ``ObjectScreen``: ``/…/<int:pk>/…`` is a row of ``model`` whose assembly is
  reached through ``assembly_field`` (``self.object`` and ``self.assembly``);
- ``AnyAssemblyScreen``: not about one assembly yet (an import whose form
  names it): ``self.assemblies`` are those where the user holds ``permission``;
- ``ActionMixin`` on any of them: POST only; ``act()`` calls one service and
  returns the success message; the user is sent back to ``redirect_url()``.

Apps list their screens as ``assemblies.registry.Route`` records and register
them from ``AppConfig.ready()`` with ``registry.admin_screens(prefix, routes)``;
the admin site mounts them (``config.admin_site``), wrapped in its login check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views import View

from .models import Assembly
from .rules import VIEW_ASSEMBLY
from .selectors import assemblies_for_organiser, assemblies_where, has_perm_anywhere


class Screen(View):
    """Base: subclasses set ``permission`` and implement ``resolve``."""

    #: The ``rules`` permission needed on the screen's assembly.
    permission: ClassVar[str] = VIEW_ASSEMBLY
    template_name: ClassVar[str | None] = None
    #: The model whose admin this screen belongs to (breadcrumbs, ``opts``).
    opts_model: ClassVar[type[models.Model] | None] = None
    http_method_names: Sequence[str] = ["get", "head"]

    assembly: Assembly
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.resolve(**kwargs)  # 404, then 403, before 405
        self.authorise()
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, **kwargs: Any) -> None:
        raise NotImplementedError

    def authorise(self) -> None:
        if not self.request.user.has_perm(self.permission, self.assembly):
            raise PermissionDenied

    # --- helpers for subclasses ----------------------------------------------------
    def may(self, permission: str) -> bool:
        return bool(self.request.user.has_perm(permission, self.assembly))

    def get_title(self) -> Any:
        return self.assembly.title

    def get_subtitle(self) -> Any:
        return ""

    def get_context_data(self, **extra: Any) -> dict[str, Any]:
        opts_model = self.opts_model
        return {
            **admin.site.each_context(self.request),
            "title": self.get_title(),
            "subtitle": self.get_subtitle(),
            "opts": opts_model._meta if opts_model is not None else None,
            "assembly": self.assembly,
            **extra,
        }

    def render(self, **extra: Any) -> TemplateResponse:
        assert self.template_name is not None, f"{type(self).__name__} needs a template_name"
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**extra))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render()


class AssemblyScreen(Screen):
    """A screen about one assembly, from the URL's ``pk``."""

    def resolve(self, **kwargs: Any) -> None:
        queryset = assemblies_for_organiser(self.request.user).select_related("organisation")
        self.assembly = get_object_or_404(queryset, pk=kwargs["pk"])


class AnyAssemblyScreen(Screen):
    """A screen that is not about one assembly yet (e.g. an import whose form
    names the assembly): open to whoever holds ``permission`` somewhere, a 404
    for anyone else; ``self.assemblies`` are those where they hold it."""

    assembly: Assembly | None = None  # type: ignore[assignment]
    assemblies: models.QuerySet[Assembly]

    def resolve(self, **kwargs: Any) -> None:
        self.assemblies = assemblies_where(self.request.user, self.permission)

    def authorise(self) -> None:
        if not has_perm_anywhere(self.request.user, self.permission):
            raise Http404

    def get_title(self) -> Any:
        return ""


class ObjectScreen(Screen):
    """A screen about one row of ``model`` (URL kwarg ``lookup_kwarg``)."""

    model: ClassVar[type[models.Model]]
    assembly_field: ClassVar[str] = "assembly"
    lookup_kwarg: ClassVar[str] = "pk"
    select_related: ClassVar[tuple[str, ...]] = ()
    #: Rows whose very existence is personal data (respondents) are a 404 to
    #: those without this permission, as if they were another tenant's.
    visible_with: ClassVar[str | None] = None

    object: Any

    def get_queryset(self) -> models.QuerySet[Any]:
        user = self.request.user
        scope = (
            assemblies_where(user, self.visible_with) if self.visible_with else assemblies_for_organiser(user)
        )
        visible = scope.values("pk")
        related = (self.assembly_field, f"{self.assembly_field}__organisation", *self.select_related)
        return self.model._default_manager.filter(**{f"{self.assembly_field}__in": visible}).select_related(
            *related
        )

    def resolve(self, **kwargs: Any) -> None:
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs[self.lookup_kwarg])
        target: Any = self.object
        for part in self.assembly_field.split("__"):
            target = getattr(target, part)
        self.assembly = target


class ActionMixin:
    """POST only: call one service, say what happened, go back.

    ``act()`` returns the success message (or None for no message); a
    ``ValidationError`` it raises becomes an error message instead, with
    nothing changed (services are atomic)."""

    http_method_names: Sequence[str] = ["post"]
    request: HttpRequest

    def act(self) -> Any:
        raise NotImplementedError

    # ``redirect_url()`` comes from the screen class (the mixin stays first in
    # the bases so that its ``http_method_names`` and ``post`` win).
    def failure_url(self) -> str:
        return self.redirect_url()  # type: ignore[attr-defined]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            done = self.act()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(self.failure_url())
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, str(done))
        return HttpResponseRedirect(self.redirect_url())  # type: ignore[attr-defined]
