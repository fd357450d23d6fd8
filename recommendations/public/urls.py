"""Public recommendation pages, mounted under /assemblies/<slug>/ (namespace "recommendations")."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("recommendations/", views.recommendation_list, name="list"),
    path("recommendations/download.csv", views.download_csv, name="download_csv"),
    path("recommendations/download.json", views.download_json, name="download_json"),
    path("recommendations/<int:number>/", views.recommendation_detail, name="detail"),
    path("recommendations/<int:number>/print/", views.recommendation_print, name="print"),
]
