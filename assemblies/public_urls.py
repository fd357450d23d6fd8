"""An assembly's public pages, mounted under /assemblies/<slug>/ by the registry."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_detail, name="public-detail"),
]
