"""Public URLs of the selection (included by lottery/urls.py, namespace "lottery")."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("assemblies/<slug:slug>/selection/", views.selection_public, name="selection_public"),
    path(
        "assemblies/<slug:slug>/selection/bundle.json", views.selection_public_bundle, name="selection_bundle"
    ),
    path("confirm/<str:token>/", views.selection_confirm, name="selection_confirm"),
]
