from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .access import member_assembly, public_assembly
from .figures import Tally, tally
from .fragments import fragment
from .models import Assembly, Stage
from .registry import registry


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assemblies/home.html", {"assemblies": selectors.public_assemblies()})


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    # Every app's section (a dozen queries across the apps) and the community
    # assemblies, kept under the assembly's public version (the page cache's).
    parts = fragment(
        assembly.pk,
        "public_detail",
        lambda: {
            "community_assemblies": _community_assemblies(assembly),
            "sections": registry.public_sections_for(assembly),
        },
    )
    return render(request, "assemblies/public_detail.html", {"assembly": assembly, **parts})


def _community_assemblies(assembly: Any) -> list[Any]:
    # Most assemblies have none: a count first (assemblies.figures, 0.1 ms;
    # Assembly.objects.public()'s rule), the list (1 ms) only when there are.
    public = {"parent": assembly.pk, "is_public": True}
    (under,) = tally(Tally(Assembly, public, exclude={"stage": Stage.DRAFT.value}))
    if not under:
        return []
    return list(selectors.public_assemblies().filter(parent=assembly))


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "assemblies": selectors.member_assemblies(request.user).order_by("-starts_on", "title"),
            "organises": selectors.is_organiser_anywhere(request.user),
            "team_links": _team_portal_links(request.user),
        },
    )


def _team_portal_links(user: Any) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """(assembly, [(label, url)]) for the portal pages of team members (a
    facilitator's home), where the user holds each page's permission."""
    if not registry.team_portal_links or getattr(user, "is_superuser", False):
        return []
    out: dict[int, tuple[Any, list[tuple[Any, str]]]] = {}
    for link in registry.team_portal_links:
        for assembly in selectors.assemblies_where(user, link.permission).order_by("-starts_on", "title"):
            out.setdefault(assembly.pk, (assembly, []))[1].append((link.label, link.url(assembly)))
    return list(out.values())


@login_required
def portal_assembly(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    return render(
        request,
        "portal/assembly.html",
        {
            "assembly": assembly,
            "membership": membership,
            "links": registry.portal_links_for(assembly, membership),
            "sections": registry.portal_sections_for(assembly, membership),
        },
    )
