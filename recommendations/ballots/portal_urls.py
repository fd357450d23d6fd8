"""Members' deciding pages (under /portal/, namespace "portal")."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:slug>/ballots/", views.portal_ballots, name="recommendations_ballots"),
    path("<slug:slug>/ballots/<int:pk>/", views.portal_ballot, name="recommendations_ballot"),
    path("<slug:slug>/priorities/<int:pk>/", views.portal_priority, name="recommendations_priority"),
    path(
        "<slug:slug>/minority-statements/<int:number>/",
        views.portal_minority_statement,
        name="recommendations_minority",
    ),
]
