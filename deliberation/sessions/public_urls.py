from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programme/", views.public_programme, name="programme"),
    path("programme.ics", views.public_calendar, name="programme_calendar"),
]
