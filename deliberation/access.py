"""Deliberation's "this request, this assembly" lookups (404 outside the tenant)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from assemblies.models import Assembly

from .rules import FACILITATE


def facilitator_assembly(request: HttpRequest, slug: str) -> Assembly:
    """The assembly of a facilitator's portal page; 404 for anyone who does
    not facilitate there (members and other tenants alike)."""
    assembly = get_object_or_404(Assembly.objects.select_related("organisation"), slug=slug)
    if not request.user.has_perm(FACILITATE, assembly):
        raise Http404
    return assembly
