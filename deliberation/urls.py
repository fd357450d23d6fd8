"""Deliberation's urls: one module per part of the app, included here."""

from django.urls import include, path

urlpatterns = [
    path("", include("deliberation.sessions.urls")),
    path("", include("deliberation.evidence.urls")),
    path("", include("deliberation.tables.urls")),
    path("", include("deliberation.attendance.urls")),
    path("", include("deliberation.voice.urls")),
]
