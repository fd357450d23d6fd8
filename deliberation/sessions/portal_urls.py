from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/schedule/", views.portal_schedule, name="deliberation_schedule"),
    path(
        "<slug:slug>/schedule/calendar/reset/",
        views.portal_calendar_reset,
        name="deliberation_calendar_reset",
    ),
]
