"""The public tracker (under /assemblies/<slug>/, namespace "advocacy")."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("tracker/", views.tracker, name="tracker"),
    path("tracker/download.csv", views.tracker_csv, name="tracker_csv"),
    path("tracker/download.json", views.tracker_json, name="tracker_json"),
    path("tracker/feed/", views.tracker_feed, name="tracker_feed"),
    path("tracker/follow/", views.follow, name="tracker_follow"),
]
