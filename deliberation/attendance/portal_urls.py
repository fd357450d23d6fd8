"""Portal pages of attendance and stipends (namespace "portal", under /portal/)."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/facilitate/checkin/", views.checkin_sessions, name="deliberation_checkin_sessions"),
    path(
        "<slug:slug>/facilitate/checkin/sw.js", views.checkin_service_worker, name="deliberation_checkin_sw"
    ),
    path("<slug:slug>/facilitate/checkin/<int:session_pk>/", views.checkin_page, name="deliberation_checkin"),
    path(
        "<slug:slug>/facilitate/checkin/<int:session_pk>/record/",
        views.checkin_record,
        name="deliberation_checkin_record",
    ),
    path("<slug:slug>/expenses/", views.my_expenses, name="deliberation_expenses"),
    path(
        "<slug:slug>/expenses/<int:expense_pk>/receipt/",
        views.my_receipt,
        name="deliberation_expense_receipt",
    ),
]
