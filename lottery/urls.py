"""Site-wide public pages of recruitment and selection (namespace "lottery",
mounted at the root by the registry): registration and the confirmation link."""

from __future__ import annotations

from django.urls import include, path

from .selection import views as selection_views

urlpatterns = [
    path("register/", include("lottery.registration.urls")),
    path("confirm/", selection_views.selection_confirm_code, name="selection_confirm_code"),
    path("confirm/<str:token>/", selection_views.selection_confirm, name="selection_confirm"),
]
