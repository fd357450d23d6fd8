"""Deliberation's public urls: one module per part of the app, included here."""

from django.urls import include, path

urlpatterns = [
    path("", include("deliberation.sessions.public_urls")),
    path("", include("deliberation.evidence.public_urls")),
    path("", include("deliberation.tables.public_urls")),
    path("", include("deliberation.attendance.public_urls")),
    path("", include("deliberation.voice.public_urls")),
]
