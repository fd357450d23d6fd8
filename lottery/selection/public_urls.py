"""An assembly's public selection pages (mounted under /assemblies/<slug>/ by
the registry, namespace "lottery")."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("selection/", views.selection_public, name="selection_public"),
    path("selection/bundle.json", views.selection_public_bundle, name="selection_bundle"),
]
