"""Public registration (mounted at /register/ by lottery.urls, namespace "lottery")."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.register, name="register"),
    path("details/", views.register_details, name="register-details"),
    path("privacy/<slug:slug>/", views.privacy_notice, name="register-privacy"),
    path("done/", views.register_done, name="register-done"),
]
