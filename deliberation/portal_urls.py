"""Deliberation's portal urls: one module per part of the app, included here."""

from django.urls import include, path

urlpatterns = [
    path("", include("deliberation.sessions.portal_urls")),
    path("", include("deliberation.evidence.portal_urls")),
    path("", include("deliberation.tables.portal_urls")),
    path("", include("deliberation.attendance.portal_urls")),
    path("", include("deliberation.voice.portal_urls")),
]
