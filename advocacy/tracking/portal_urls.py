"""Members' tracker pages (under /portal/, namespace "portal")."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:slug>/responses/", views.portal_responses, name="advocacy_responses"),
]
