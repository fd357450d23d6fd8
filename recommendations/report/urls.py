"""Public report pages, under /assemblies/<slug>/ (namespace "recommendations").
A file's ``key`` is its version's name, e.g. ``final-report-en-v2``."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("reports/", views.reports_page, name="reports"),
    path("reports/<slug:key>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<slug:key>.json", views.report_json, name="report_json"),
    path("reports/<slug:key>.csv", views.report_csv, name="report_csv"),
]
