"""The one place that turns "this request, this assembly" into an object or a 404.

Views, the admin's custom screens and the API all resolve assemblies here, so
that an object of another tenant is a 404 everywhere, never a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Assembly, Member
from .rules import USE_PORTAL
from .selectors import assemblies_for_organiser, membership_of


def public_assembly(slug: str) -> Assembly:
    """The public assembly or a 404."""
    # The organisation is named on every public page; the parent only on a
    # community assembly's (read then, by its id: a core assembly has none).
    # Read by its unique slug, then Assembly.objects.public()'s rule checked
    # on the row (is_publicly_visible): two filters less to build, 0.15 ms on
    # every public page.
    assembly = get_object_or_404(Assembly.objects.select_related("organisation"), slug=slug)
    if not assembly.is_publicly_visible:
        raise Http404
    return assembly


def member_assembly(request: HttpRequest, slug: str) -> tuple[Assembly, Member]:
    """The assembly of a portal page and the user's membership; 404 for
    anyone who may not use its portal."""
    assembly = get_object_or_404(Assembly.objects.select_related("organisation"), slug=slug)
    if not request.user.has_perm(USE_PORTAL, assembly):
        raise Http404
    membership = membership_of(request.user, assembly)  # cached by the rule's check
    if membership is None:  # a superuser passes every rule but has no seat here
        raise Http404
    return assembly, membership


def organiser_assembly(
    request: HttpRequest, *, perm: str = "assemblies.view_assembly", **lookup: object
) -> Assembly:
    """An assembly the user organises; 404 when they have no role in it, 403
    when they have one but it does not grant ``perm``."""
    assembly = get_object_or_404(
        assemblies_for_organiser(request.user).select_related("organisation"), **lookup
    )
    if not request.user.has_perm(perm, assembly):
        raise PermissionDenied
    return assembly
