"""The members' portal pages of assemblies, mounted under /portal/ (namespace "portal")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("<slug:slug>/", views.portal_assembly, name="assembly"),
]
