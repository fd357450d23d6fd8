"""Recommendations' portal urls: one module per part, included here (namespace "portal")."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("recommendations.drafting.urls")),
    path("", include("recommendations.ballots.portal_urls")),
]
