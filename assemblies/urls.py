"""Site-wide public pages of assemblies (mounted at the root by the registry)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
