"""Site-wide tracker pages (namespace "advocacy"): follow confirmations,
unsubscribing, and the institutions' private entry page."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("tracker/follow/<str:token>/", views.follow_confirm, name="tracker_follow_confirm"),
    path("tracker/unsubscribe/<str:token>/", views.unsubscribe, name="tracker_unsubscribe"),
    path("respond/<str:token>/", views.respond, name="respond"),
]
