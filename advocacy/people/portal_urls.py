from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/spokesperson/", views.portal_spokesperson, name="advocacy_spokesperson"),
    path("<slug:slug>/media-requests/<int:pk>/", views.portal_request, name="advocacy_request"),
]
