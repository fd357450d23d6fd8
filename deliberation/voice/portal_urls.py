"""Members' voice and care in the portal (namespace "portal"), and the facilitator's home."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/concern/", views.concern, name="deliberation_concern"),
    path("<slug:slug>/announcements/", views.announcements, name="deliberation_announcements"),
    path("<slug:slug>/my-data/", views.my_data, name="deliberation_my_data"),
    path("<slug:slug>/facilitate/", views.facilitate, name="deliberation_facilitate"),
]
