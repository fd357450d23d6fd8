from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .access import member_assembly, public_assembly
from .registry import registry


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assemblies/home.html", {"assemblies": selectors.public_assemblies()})


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = public_assembly(slug)
    community = selectors.public_assemblies().filter(parent=assembly)
    return render(
        request,
        "assemblies/public_detail.html",
        {
            "assembly": assembly,
            "community_assemblies": community,
            "sections": registry.public_sections_for(assembly),
        },
    )


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "assemblies": selectors.member_assemblies(request.user).order_by("-starts_on", "title"),
            "organises": selectors.is_organiser_anywhere(request.user),
        },
    )


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
