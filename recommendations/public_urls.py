"""Recommendations' public pages (under /assemblies/<slug>/, namespace "recommendations")."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("recommendations.public.urls")),
    path("", include("recommendations.report.urls")),
]
