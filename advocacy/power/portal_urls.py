from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/power/", views.portal_power, name="advocacy_power"),
    path("<slug:slug>/power/learn/<int:number>/", views.portal_lesson, name="advocacy_power_lesson"),
    path("<slug:slug>/power/map/", views.portal_map, name="advocacy_power_map"),
]
